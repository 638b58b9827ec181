/**
 * puppeteer-core, for the staff page's browser test. Imported by its full npm
 * specifier here, not through deno.json's import map, so a user's
 * `deno task client` never downloads it: packages in the import map are
 * installed on first run.
 *
 * @module
 */

export { default } from "npm:puppeteer-core@^25.16.0";
export type { Page } from "npm:puppeteer-core@^25.16.0";
