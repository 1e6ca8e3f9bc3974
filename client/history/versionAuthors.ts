/**
 * Who made a version, in words people understand. The server records edits made through the
 * REST API (an import, a restore by API, a viewer's comment, a settings change by script) as
 * the author "API" (docs/api.md "Versions"); a list reading "API, Ed, Pam" looks like a person
 * called API, so those edits are named for what they are instead.
 */
export const API_AUTHOR = 'API';

export const API_AUTHOR_TEXT = 'via the API';
export const API_AUTHOR_HINT = 'Changes made through the REST API: an import, a restore or a comment by a viewer, or a script';

/** "Ed, Pam" and whether there were API edits too (shown separately, after the people). */
export function versionAuthors(authors: readonly string[]): { people: string; viaApi: boolean } {
  const people = authors.filter((a) => a !== API_AUTHOR);
  return { people: people.join(', '), viaApi: people.length !== authors.length };
}
