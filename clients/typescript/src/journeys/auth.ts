// Sign up, sign in, refresh, sign out: the account journey of any app.
import { graphql } from "../generated/graphql/index.js";
import { gql, query } from "../graphql.js";
import { rest } from "../rest.js";
import { expectEqual, expectTrue, run } from "../check.js";

const Me = graphql(`
  query JourneyMe {
    me {
      id
      displayName
      email
      platformRole
      memberships {
        role
        organization {
          id
          name
        }
      }
    }
  }
`);

export async function signUpInRefresh(): Promise<void> {
  const email = `journey-${run}@example.org`;
  const password = "a long journey passphrase";

  const registered = await rest.POST("/api/v1/auth/register", {
    body: { email, password, displayName: "旅程 Journey" },
  });
  expectEqual(registered.response.status, 201, "register status");
  expectEqual(registered.data?.email, email, "registered e-mail");

  const again = await rest.POST("/api/v1/auth/register", {
    body: { email, password, displayName: "Twice" },
  });
  expectEqual(again.response.status, 409, "registering the same e-mail twice");
  expectEqual(again.error?.code, "CONFLICT", "error code of a taken e-mail");

  const login = await rest.POST("/api/v1/auth/login", { body: { email, password } });
  const tokens = login.data;
  expectTrue(tokens !== undefined, `login answered ${login.response.status}`);
  expectEqual(tokens.tokenType, "Bearer", "token type");

  const me = await query(gql({ session: tokens }), Me, {});
  expectEqual(me.me?.displayName, "旅程 Journey", "display name read back");
  expectEqual(me.me?.memberships.length, 0, "a new account belongs to no organisation");

  const refreshed = await rest.POST("/api/v1/auth/refresh", { body: { refreshToken: tokens.refreshToken } });
  const next = refreshed.data;
  expectTrue(next !== undefined, `refresh answered ${refreshed.response.status}`);
  expectTrue(next.refreshToken !== tokens.refreshToken, "refresh rotates the refresh token");
  const replay = await rest.POST("/api/v1/auth/refresh", { body: { refreshToken: tokens.refreshToken } });
  expectEqual(replay.response.status, 401, "a used refresh token is refused");

  const logout = await rest.POST("/api/v1/auth/logout", { body: { refreshToken: next.refreshToken } });
  expectEqual(logout.response.status, 204, "logout status");
  const afterLogout = await rest.POST("/api/v1/auth/refresh", { body: { refreshToken: next.refreshToken } });
  expectEqual(afterLogout.response.status, 401, "refresh after logout");

  const anonymous = await gql().query(Me, {}).toPromise();
  expectEqual(anonymous.data?.me, null, "me when signed out");
}
