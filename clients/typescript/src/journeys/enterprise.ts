// An enterprise department posts a need, publishes it, reads the explained
// suggestions and decides on one.
import { graphql } from "../generated/graphql/index.js";
import { gql, mutate, present, query } from "../graphql.js";
import { signIn } from "../rest.js";
import { demo } from "../env.js";
import { expectEqual, expectTrue, run } from "../check.js";

export const MyOrganizations = graphql(`
  query JourneyMyOrganizations {
    me {
      id
      memberships {
        role
        organization {
          id
          name
          kind
        }
      }
    }
  }
`);

const CreateNeed = graphql(`
  mutation JourneyCreateNeed($input: CreateNeedInput!) {
    createNeed(input: $input) {
      need {
        id
        status
        version
        title
        budgetMax {
          amount
          currencyCode
        }
      }
    }
  }
`);

const PublishNeed = graphql(`
  mutation JourneyPublishNeed($input: PublishNeedInput!) {
    publishNeed(input: $input) {
      need {
        id
        status
        publishedAt
      }
    }
  }
`);

export const NeedMatches = graphql(`
  query JourneyNeedMatches($id: ID!, $first: Int!) {
    need(id: $id) {
      id
      title
      matches(first: $first) {
        totalCount
        edges {
          node {
            id
            score
            status
            matchedTerms
            viewerCanShortlist
            viewerCanAccept
            capability {
              id
              title
              organization {
                name
              }
            }
            factors {
              name
              value
              weight
              contribution
              detail
            }
          }
        }
      }
    }
  }
`);

const ShortlistMatch = graphql(`
  mutation JourneyShortlistMatch($input: ShortlistMatchInput!) {
    shortlistMatch(input: $input) {
      match {
        id
        status
      }
    }
  }
`);

const ContactMatch = graphql(`
  mutation JourneyContactMatch($input: ContactMatchInput!) {
    contactMatch(input: $input) {
      match {
        id
        status
      }
    }
  }
`);

const AcceptMatch = graphql(`
  mutation JourneyAcceptMatch($input: AcceptMatchInput!) {
    acceptMatch(input: $input) {
      match {
        id
        status
        waitingFor
        needSide {
          decision
        }
      }
    }
  }
`);

export interface PostedNeed {
  needId: string;
  acceptedMatchId: string;
}

/** Returns the need posted and the match its side accepted (the coordinator's journey continues from it). */
export async function postPublishAndDecide(): Promise<PostedNeed> {
  const session = await signIn(demo.enterprise);
  const client = gql({ session });

  const me = await query(client, MyOrganizations, {});
  const membership = present(
    me.me?.memberships.find((m) => m.role === "ORG_ADMIN"),
    "an organisation the enterprise user administers",
  );

  const created = await mutate(client, CreateNeed, {
    input: {
      organizationId: membership.organization.id,
      title: `风电齿轮箱轴承故障诊断 ${run}`,
      description:
        "需要对风电机组齿轮箱滚动轴承进行振动监测与早期故障诊断，要求提供在线监测方案。Vibration monitoring and early fault diagnosis of rolling bearings in wind turbine gearboxes.",
      keywords: ["轴承", "故障诊断", "振动监测", "bearing", "fault diagnosis"],
      trlRequired: 5,
      // Money is a decimal string in yuan: beyond what a 32-bit Int holds.
      budgetMin: "500000",
      budgetMax: "3000000000.50",
      cooperationModes: ["JOINT_RESEARCH"],
      visibility: "PUBLIC",
    },
  });
  const need = created.createNeed.need;
  expectEqual(need.status, "DRAFT", "a new need is a draft");
  expectEqual(need.budgetMax, { amount: "3000000000.50", currencyCode: "CNY" }, "the budget read back");

  const published = await mutate(client, PublishNeed, { input: { id: need.id } });
  expectEqual(published.publishNeed.need.status, "PUBLISHED", "status after publishing");
  expectTrue(published.publishNeed.need.publishedAt !== null, "publishedAt is set");

  const read = await query(client, NeedMatches, { id: need.id, first: 5 });
  const matches = present(read.need, "the need just published").matches;
  expectTrue(matches.totalCount > 0, "the published need has suggestions");
  let previous = Number.POSITIVE_INFINITY;
  for (const { node: match } of matches.edges) {
    expectTrue(match.score <= previous, "suggestions come best first");
    previous = match.score;
    const sum = match.factors.reduce((total, f) => total + f.contribution, 0);
    expectTrue(Math.abs(sum - match.score) < 1e-6, `factors add up to the score of ${match.id}`);
    expectTrue(match.factors.every((f) => f.detail.length > 0), "every factor is explained");
  }
  const best = present(matches.edges[0], "the best suggestion").node;
  expectEqual(best.status, "SUGGESTED", "a fresh suggestion's status");
  // The buttons the UI shows come from the server, not from a copy of the rules.
  expectTrue(best.viewerCanShortlist, "the need's side may shortlist a fresh suggestion");
  expectTrue(!best.viewerCanAccept, "a fresh suggestion is shortlisted or contacted before it can be accepted");
  expectTrue(best.matchedTerms.length > 0, "the best suggestion names the terms it matched");

  const shortlisted = await mutate(client, ShortlistMatch, { input: { id: best.id } });
  expectEqual(shortlisted.shortlistMatch.match.status, "SHORTLISTED", "status after shortlisting");
  const contacted = await mutate(client, ContactMatch, { input: { id: best.id } });
  expectEqual(contacted.contactMatch.match.status, "CONTACTED", "status after contacting");
  const accepted = await mutate(client, AcceptMatch, { input: { id: best.id } });
  // Both sides decide: the enterprise's acceptance alone leaves the match
  // waiting for the capability's side (the coordinator's journey brokers it).
  expectEqual(accepted.acceptMatch.match.status, "CONTACTED", "status after the need side accepts");
  expectEqual(accepted.acceptMatch.match.needSide.decision, "ACCEPTED", "the need side's decision");
  expectEqual(accepted.acceptMatch.match.waitingFor, ["CAPABILITY"], "the match waits for the capability's side");

  return { needId: need.id, acceptedMatchId: best.id };
}
