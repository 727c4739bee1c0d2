// A form's errors: one submit reports every bad field, each mapped to the
// input field it is about, in the user's language.
import { graphql } from "../generated/graphql/index.js";
import { gql, present, query, refused, type ServerError } from "../graphql.js";
import { signIn } from "../rest.js";
import { demo } from "../env.js";
import { expectEqual, expectTrue } from "../check.js";
import { MyOrganizations } from "./enterprise.js";

const CreateNeed = graphql(`
  mutation JourneyCreateNeedForm($input: CreateNeedInput!) {
    createNeed(input: $input) {
      need {
        id
      }
    }
  }
`);

/** One problem of a submitted form, as `extensions.fields` lists it. */
export interface FieldProblem {
  field: string;
  code: string;
  /** A stable key for clients that translate themselves. */
  key: string;
  /** In the language of the request's Accept-Language. */
  message: string;
}

/** What a form library wants: input field → problem. */
export function fieldErrors(errors: ServerError[]): Record<string, FieldProblem> {
  const form: Record<string, FieldProblem> = {};
  for (const error of errors) {
    const fields = error.extensions.fields;
    if (!Array.isArray(fields)) continue;
    for (const entry of fields as Partial<FieldProblem>[]) {
      if (typeof entry.field === "string" && typeof entry.message === "string") {
        form[entry.field.replace(/^input\./, "")] = {
          field: entry.field,
          code: String(entry.code),
          key: String(entry.key),
          message: entry.message,
        };
      }
    }
  }
  return form;
}

export async function formErrorsMapToFields(): Promise<void> {
  const session = await signIn(demo.enterprise);
  const client = gql({ session });
  const me = await query(client, MyOrganizations, {});
  const organizationId = present(me.me?.memberships[0], "a membership").organization.id;

  const bad = {
    organizationId,
    title: "   ",
    trlRequired: 12,
    disciplineCodes: ["NOT-A-DISCIPLINE"],
    budgetMin: "900000",
    budgetMax: "100000",
    deadline: "2020-01-01",
  };
  const errors = await refused(client, CreateNeed, { input: bad });
  expectEqual(errors[0]?.extensions.code, "BAD_USER_INPUT", "error code of a bad form");
  expectTrue(typeof errors[0]?.extensions.requestId === "string", "the error names its request");
  const form = fieldErrors(errors);
  // One submit names every problem, each on its field, with a stable key.
  for (const field of ["title", "trlRequired", "disciplineCodes[0]", "deadline"]) {
    const problem = form[field] ?? form[field.replace(/\[0\]$/, "")];
    expectTrue(problem !== undefined, `the error names ${field} (got ${JSON.stringify(Object.keys(form))})`);
    expectTrue(problem.key.length > 0 && problem.message.length > 0, `${field} has a key and a message`);
  }

  expectTrue(
    form.budgetMax !== undefined || form.budgetMin !== undefined,
    `a budget range upside down is named (got ${JSON.stringify(Object.keys(form))})`,
  );

  // A malformed amount is refused before anything runs, on its field.
  const malformed = fieldErrors(await refused(client, CreateNeed, { input: { organizationId, title: "Bearings", budgetMax: "12.345" } }));
  expectTrue(malformed.budgetMax !== undefined, `an amount finer than a fen names budgetMax (got ${JSON.stringify(malformed)})`);

  // The same form in Chinese: same keys, messages in Chinese.
  const chinese = gql({ session, locale: "zh-CN,zh;q=0.9,en;q=0.5" });
  const zh = fieldErrors(await refused(chinese, CreateNeed, { input: bad }));
  expectEqual(Object.keys(zh).sort(), Object.keys(form).sort(), "the same fields in either language");
  for (const [field, problem] of Object.entries(zh)) {
    expectEqual(problem.key, form[field]?.key, `the key of ${field} does not depend on the language`);
    expectTrue(/[\u4e00-\u9fff]/.test(problem.message), `${field}'s message is Chinese: ${problem.message}`);
  }
}
