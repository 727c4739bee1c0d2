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

/** What a form library wants: input field → message. */
export function fieldErrors(errors: ServerError[]): Record<string, string> {
  const form: Record<string, string> = {};
  for (const error of errors) {
    const fields = error.extensions.fields;
    if (!Array.isArray(fields)) continue;
    for (const entry of fields as { field?: unknown; message?: unknown }[]) {
      if (typeof entry.field === "string" && typeof entry.message === "string") {
        form[entry.field.replace(/^input\./, "")] = entry.message;
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

  const errors = await refused(client, CreateNeed, {
    input: {
      organizationId,
      title: "   ",
      trlRequired: 12,
      disciplineCodes: ["NOT-A-DISCIPLINE"],
    },
  });
  expectEqual(errors[0]?.extensions.code, "BAD_USER_INPUT", "error code of a bad form");
  const form = fieldErrors(errors);
  for (const field of ["title", "trlRequired", "disciplineCodes"]) {
    expectTrue(field in form, `the error names ${field} (got ${JSON.stringify(form)})`);
  }
}
