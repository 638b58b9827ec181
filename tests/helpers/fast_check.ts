/**
 * fast-check, for property tests. Imported by its full npm specifier here,
 * not through deno.json's import map, so a user's `deno task client` never
 * downloads it: packages in the import map are installed on first run.
 *
 * @module
 */

import fc from "npm:fast-check@^4.10.2";

export default fc;
