// Where the server is and who the demo users are (scripts/ts-journeys starts
// `iurhub serve --demo` and passes IURHUB_URL).
export const BASE_URL = process.env.IURHUB_URL ?? "http://127.0.0.1:8080";
export const DEMO_PASSWORD = "iurhub-demo-2026";

export const demo = {
  coordinator: "coordinator@demo.iurhub.cn",
  /** ORG_ADMIN of the group's science, education and IT department (enterprise side). */
  enterprise: "sun.li@demo.iurhub.cn",
  /** ORG_ADMIN of the intelligent diagnosis lab (university side). */
  faculty: "zhang.wei@demo.iurhub.cn",
  /** A member of the school of computer science who books instruments. */
  researcher: "yang.fan@demo.iurhub.cn",
  /** ORG_ADMIN of the mechanical analysis and testing center (instrument staff). */
  staff: "matc@demo.iurhub.cn",
} as const;
