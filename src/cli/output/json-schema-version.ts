/** Bumped when a JSON document promptopt prints changes shape incompatibly. */
export const JSON_SCHEMA_VERSION = 1;
