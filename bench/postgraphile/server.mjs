// Serves PostGraphile (library mode, Node's own http server) on HOST:PORT.
// Run with the Node 22 binary installed next to it:
//   DATABASE_URL=postgres://... PORT=5678 node_modules/.bin/node server.mjs
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 5678);

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
// Build the schema before listening, so the first request is not the one
// that pays for introspection.
await pgl.getSchema();

const server = createServer();
server.on("error", (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  console.log(`postgraphile ${process.version} listening on http://${host}:${port}/graphql`);
});

const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
