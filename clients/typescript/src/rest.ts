// The REST half, typed by openapi-typescript from the running server's
// OpenAPI document and called with openapi-fetch.
import createClient from "openapi-fetch";
import type { paths } from "./generated/rest.js";
import { BASE_URL, DEMO_PASSWORD } from "./env.js";

export const rest = createClient<paths>({ baseUrl: BASE_URL });

export interface Session {
  accessToken: string;
  refreshToken: string;
}

/** Signs a user in through REST, as a login form would. */
export async function signIn(email: string, password: string = DEMO_PASSWORD): Promise<Session> {
  const { data, error, response } = await rest.POST("/api/v1/auth/login", { body: { email, password } });
  if (!data) {
    throw new Error(`sign-in of ${email} failed (${response.status}): ${JSON.stringify(error)}`);
  }
  return { accessToken: data.accessToken, refreshToken: data.refreshToken };
}

/** Headers of an authenticated REST call. */
export function bearer(session: Session): { Authorization: string } {
  return { Authorization: `Bearer ${session.accessToken}` };
}
