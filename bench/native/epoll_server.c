/* Floor baseline for `deno task bench:compare`: a Task 2 compute server in C,
 * one thread, epoll, nonblocking sockets, TCP_NODELAY. Framing as in
 * docs/protocol.md: the name ends at a line feed or a write boundary (a read
 * shorter than the buffer); keywords match letter by letter ignoring case;
 * a number ends at a non-digit or a write boundary; a FILE body is exactly
 * `length` bytes, its words counted as it streams. FIBONACCI n <= 93 and
 * FACTORIAL n <= 20 only (64-bit answers): it is a latency floor for small
 * requests, not a big-number server. No quiet gap, timeouts or limits.
 *   cc -O2 -o epoll_server epoll_server.c && ./epoll_server [port]   */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* MD5 (RFC 1321), enough for one short message. */
static const uint32_t K[64] = {
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
static const int R[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

static void md5(const uint8_t *msg, size_t len, uint8_t out[16]) {
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  size_t total = ((len + 8) / 64 + 1) * 64;
  uint8_t *m = calloc(total, 1);
  memcpy(m, msg, len);
  m[len] = 0x80;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) m[total - 8 + i] = (uint8_t)(bits >> (8 * i));
  for (size_t off = 0; off < total; off += 64) {
    uint32_t w[16], a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 16; i++)
      w[i] = m[off + 4 * i] | m[off + 4 * i + 1] << 8 | m[off + 4 * i + 2] << 16 |
             (uint32_t)m[off + 4 * i + 3] << 24;
    for (int i = 0; i < 64; i++) {
      uint32_t f;
      int g;
      if (i < 16) f = (b & c) | (~b & d), g = i;
      else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
      else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) % 16;
      else f = c ^ (b | ~d), g = (7 * i) % 16;
      uint32_t t = d, x = a + f + K[i] + w[g];
      int s = R[(i / 16) * 4 + i % 4];
      d = c, c = b, b = b + (x << s | x >> (32 - s)), a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d;
  }
  free(m);
  for (int i = 0; i < 16; i++) out[i] = (uint8_t)(h[i / 4] >> (8 * (i % 4)));
}

/* uuid3(NAMESPACE_DNS, name).hex */
static void uuid3(const char *name, size_t len, char hex[33]) {
  static const uint8_t dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  uint8_t buf[16 + 256], d[16];
  memcpy(buf, dns, 16);
  memcpy(buf + 16, name, len);
  md5(buf, 16 + len, d);
  d[6] = (d[6] & 0x0f) | 0x30;
  d[8] = (d[8] & 0x3f) | 0x80;
  for (int i = 0; i < 16; i++) sprintf(hex + 2 * i, "%02x", d[i]);
}

enum { NAME, KEYWORD, NUMBER, BODY };
static const char *KEYWORDS[] = {"FIBONACCI", "FACTORIAL", "FILE", "WORD_COUNT", "COMPLETE"};

typedef struct {
  int fd, state, kwlen, kw, digits, inword, quiet;
  char name[257], uuid[33], word[16];
  size_t namelen;
  uint64_t n, left, words;
} Conn;

static int is_space(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static void reply(Conn *c, const char *answer) {
  char out[128];
  int len = snprintf(out, sizeof out, "%s_%s", answer, c->uuid);
  if (write(c->fd, out, (size_t)len) != len) c->quiet = 1; /* loopback, small: not expected */
}

static void answer(Conn *c) {
  char text[64];
  uint64_t n = c->n, a = 0, b = 1, f = 1;
  if (c->kw == 0 && n <= 93) {
    for (uint64_t i = 0; i < n; i++) b += a, a = b - a;
    snprintf(text, sizeof text, "%llu", (unsigned long long)a);
  } else if (c->kw == 1 && n <= 20) {
    for (uint64_t i = 2; i <= n; i++) f *= i;
    snprintf(text, sizeof text, "%llu", (unsigned long long)f);
  } else {
    snprintf(text, sizeof text, "ERROR n too large for the native floor server");
  }
  reply(c, text);
}

/* Feeds one read's bytes; `boundary` when the read did not fill the buffer. Returns 0 to close. */
static int feed(Conn *c, const uint8_t *p, size_t len, int boundary) {
  for (size_t i = 0; i < len; i++) {
    uint8_t ch = p[i];
    if (c->state == NAME) {
      if (ch == '\n' && c->namelen > 0) goto name_done;
      if (c->namelen < 256) c->name[c->namelen++] = (char)ch;
      if (i + 1 == len && boundary) goto name_done;
      continue;
    name_done: {
      size_t s = 0, e = c->namelen;
      while (s < e && is_space((uint8_t)c->name[s])) s++;
      while (e > s && is_space((uint8_t)c->name[e - 1])) e--;
      uuid3(c->name + s, e - s, c->uuid);
      if (write(c->fd, c->uuid, 32) != 32) return 0;
      c->state = KEYWORD, c->kwlen = 0;
    }
    } else if (c->state == KEYWORD) {
      if (c->kwlen == 0 && is_space(ch)) continue;
      c->word[c->kwlen++] = (char)toupper(ch);
      int prefix = 0;
      for (int k = 0; k < 5; k++) {
        if (strncmp(KEYWORDS[k], c->word, (size_t)c->kwlen) != 0) continue;
        prefix = 1;
        if ((size_t)c->kwlen == strlen(KEYWORDS[k])) {
          if (k == 4) return 0;
          c->kw = k == 3 ? 2 : k, c->state = NUMBER, c->n = 0, c->digits = 0, c->kwlen = 0;
        }
      }
      if (!prefix) return reply(c, "ERROR Unknown request"), c->kwlen = 0, 1;
    } else if (c->state == NUMBER) {
      if (c->digits == 0 && is_space(ch)) continue;
      if (ch >= '0' && ch <= '9' && c->digits < 15) {
        c->n = c->n * 10 + (ch - '0'), c->digits++;
        if (!(i + 1 == len && boundary)) continue;
      } else if (c->digits == 0) {
        reply(c, "ERROR n must be a decimal number"), c->state = KEYWORD;
        continue;
      } else i--; /* the non-digit is the next token's */
      if (c->kw == 2) {
        c->state = BODY, c->left = c->n, c->words = 0, c->inword = 0;
        if (c->left > 0) continue;
      } else {
        answer(c), c->state = KEYWORD;
        continue;
      }
    }
    if (c->state == BODY) {
      if (c->left > 0) {
        size_t take = len - i < c->left ? len - i : (size_t)c->left;
        for (size_t j = 0; j < take; j++) {
          int word = !is_space(p[i + j]);
          if (word && !c->inword) c->words++;
          c->inword = word;
        }
        c->left -= take, i += take - 1;
      }
      if (c->left == 0) {
        char text[24];
        snprintf(text, sizeof text, "%llu", (unsigned long long)c->words);
        reply(c, text), c->state = KEYWORD;
      }
    }
  }
  return 1;
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0, one = 1;
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof addr;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(ls, (struct sockaddr *)&addr, sizeof addr) || listen(ls, 4096)) return perror("bind"), 1;
  getsockname(ls, (struct sockaddr *)&addr, &alen);
  printf("Native epoll server listening on port %d\n", ntohs(addr.sin_port));
  fflush(stdout);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, events[256];
  epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
  static uint8_t buf[65536];
  for (;;) {
    int ready = epoll_wait(ep, events, 256, -1);
    for (int e = 0; e < ready; e++) {
      Conn *c = events[e].data.ptr;
      if (!c) {
        int fd;
        while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          c = calloc(1, sizeof *c);
          c->fd = fd;
          struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
        }
        continue;
      }
      ssize_t got = read(c->fd, buf, sizeof buf);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0 || !feed(c, buf, (size_t)got, got < (ssize_t)sizeof buf) || c->quiet) {
        close(c->fd);
        free(c);
      }
    }
  }
}
