// PostGraphile v5 over the iurhub PostgreSQL schema, set up to serve rather
// than to develop: the Amber preset (the baseline its documentation
// recommends), no GraphiQL, no watch mode, no EXPLAIN, no LISTEN connection.
// The pool has as many connections as iurhub's (PG_POOL_MAX; bench/run passes
// the same number as IURHUB_DB_MAX_CONNECTIONS, default 10).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  throw new Error("DATABASE_URL is not set");
}

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ["public"],
      pubsub: false,
      // Idle connections kept for 10 minutes, like sqlx's pool in iurhub
      // (node-postgres closes them after 10 s by default).
      poolConfig: {
        max: Number(process.env.PG_POOL_MAX ?? 10),
        idleTimeoutMillis: 600_000,
      },
    }),
  ],
  grafserv: {
    graphiql: false,
    watch: false,
    graphqlPath: "/graphql",
  },
  grafast: {
    explain: false,
  },
};

export default preset;
