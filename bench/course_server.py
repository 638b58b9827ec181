"""Baseline for bench/compare.ts: a Task 2 compute server written the way the
course's student solutions were (thread per connection, recv(1024), Python's
own big ints). Standard library only. One deviation: a keyword and its number
that arrive in one recv ("FIBONACCI 7", or "FIBONACCI" and "7" merged by TCP
under load) are split apart, so one-write clients and busy runs work.

    python3 bench/course_server.py --port=0 [--host=127.0.0.1] [--quiet]
"""
import argparse, math, socket, threading, uuid


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def handle(conn, addr, log):
    with conn:
        name = conn.recv(1024).decode()
        uid = uuid.uuid3(uuid.NAMESPACE_DNS, name).hex
        log(f"[{addr[0]}:{addr[1]}] Client name is: {name}")
        conn.sendall(uid.encode())
        while True:
            data = conn.recv(1024).strip()
            if not data or data == b"COMPLETE":
                break
            keyword = data.rstrip(b"0123456789 ").decode()
            arg = int(data[len(keyword):] or conn.recv(1024))
            if keyword == "FIBONACCI":
                value = fib(arg)
                log(f"[{addr[0]}:{addr[1]}] Fibonacci request from client, fib of {arg}")
            elif keyword == "FACTORIAL":
                value = math.factorial(arg)
                log(f"[{addr[0]}:{addr[1]}] Factorial request from client, fact of {arg}")
            elif keyword == "FILE":
                body = bytearray()
                while len(body) < arg:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    body += chunk
                value = len(body.split())
                log(f"[{addr[0]}:{addr[1]}] File request from client, words in file are {value}")
            else:
                value = "ERROR"
            conn.sendall(f"{value}_{uid}".encode())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=1234)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--quiet", action="store_true", help="no line per request")
    args = parser.parse_args()
    log = (lambda line: None) if args.quiet else print
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((args.host, args.port))
    server.listen()
    print(f"Course server listening on port {server.getsockname()[1]}", flush=True)
    while True:
        conn, addr = server.accept()
        threading.Thread(target=handle, args=(conn, addr, log), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
