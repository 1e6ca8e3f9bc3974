/**
 * The document schema version written to `meta.schemaVersion`. Bump it together with a
 * migration in `migrations.ts` and a section in docs/schema.md.
 */
export const SCHEMA_VERSION = 2;
