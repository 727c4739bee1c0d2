import type { CodegenConfig } from "@graphql-codegen/cli";

// Types come from the running server's introspection, the way a frontend
// team generates them: IURHUB_URL names the server (scripts/ts-journeys
// starts one on the demo data).
const url = process.env.IURHUB_URL ?? "http://127.0.0.1:8080";

const config: CodegenConfig = {
  schema: `${url}/graphql`,
  documents: ["src/**/*.ts", "!src/generated/**"],
  ignoreNoDocuments: false,
  // ES module imports with `.js` extensions, as NodeNext resolution wants.
  emitLegacyCommonJSImports: false,
  generates: {
    "src/generated/graphql/": {
      preset: "client",
      config: {
        strictScalars: true,
        scalars: { DateTime: "string", Date: "string", NaiveDate: "string", Decimal: "string" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
