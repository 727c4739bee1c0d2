// PostGraphile v5 over the iurhub PostgreSQL schema, set up to serve rather
// than to develop: the Amber preset (the baseline its documentation
// recommends), no GraphiQL, no watch mode, no EXPLAIN, no LISTEN connection.
// The pool has as many connections as iurhub's (PG_POOL_MAX; bench/run passes
// the same number as IURHUB_DB_MAX_CONNECTIONS, default 10).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import jwt from "jsonwebtoken";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  throw new Error("DATABASE_URL is not set");
}

// With JWT_SECRET set (the `postgraphile-rls` target), every request must
// carry iurhub's access token (`Authorization: Bearer …`, HS256, iurhub's
// issuer and audience): the server verifies it and passes the user to
// PostgreSQL through pgSettings, PostGraphile's documented way of
// authorising (postgraphile.org/postgraphile/5/jwt-guide); the row-level
// security policies of rls.sql decide what the user may read. Without it
// (the anonymous `postgraphile` target) requests run as the connecting role.
const jwtSecret = process.env.JWT_SECRET;
const jwtOptions = {
  algorithms: ["HS256"],
  issuer: process.env.JWT_ISSUER ?? "iurhub",
  audience: process.env.JWT_AUDIENCE ?? "iurhub-api",
};

/** The pgSettings of a request: the reader role and the verified user id. */
function pgSettingsFor(req) {
  const header = req?.headers?.authorization ?? "";
  const match = /^Bearer (.+)$/i.exec(header);
  if (!match) {
    throw new Error("sign in: the Authorization header carries no bearer token");
  }
  // Throws on a bad signature, a wrong issuer or audience, or an expired token.
  const claims = jwt.verify(match[1], jwtSecret, jwtOptions);
  if (claims.typ !== "access" || !/^[0-9]+$/.test(String(claims.sub))) {
    throw new Error("sign in: not an access token");
  }
  return { role: "bench_reader", "jwt.claims.sub": String(claims.sub) };
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
    ...(jwtSecret && {
      context(requestContext) {
        return { pgSettings: pgSettingsFor(requestContext.node?.req) };
      },
    }),
  },
};

export default preset;
