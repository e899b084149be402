/** The one pattern of an id (a UUID, as PostgreSQL's `gen_random_uuid()` makes them). Services test a path parameter
 * with it before querying (a malformed id is «not found», not a database error); schemas use it in `.regex`. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
