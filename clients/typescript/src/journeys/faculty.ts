// Faculty register a capability and their talent profile, and see the needs
// the capability fits.
import { graphql } from "../generated/graphql/index.js";
import { gql, mutate, present, query } from "../graphql.js";
import { signIn } from "../rest.js";
import { demo } from "../env.js";
import { expectEqual, expectTrue, run } from "../check.js";
import { MyOrganizations } from "./enterprise.js";

const CreateCapability = graphql(`
  mutation JourneyCreateCapability($input: CreateCapabilityInput!) {
    createCapability(input: $input) {
      capability {
        id
        status
        title
      }
    }
  }
`);

const PublishCapability = graphql(`
  mutation JourneyPublishCapability($input: PublishCapabilityInput!) {
    publishCapability(input: $input) {
      capability {
        id
        status
      }
    }
  }
`);

const UpsertProfile = graphql(`
  mutation JourneyUpsertProfile($input: UpsertTalentProfileInput!) {
    upsertTalentProfile(input: $input) {
      talent {
        id
        name
        title
        keywords
      }
    }
  }
`);

const MyProfile = graphql(`
  query JourneyMyProfile {
    me {
      id
      talentProfile {
        id
        title
        version
      }
    }
  }
`);

const MatchingNeeds = graphql(`
  query JourneyMatchingNeeds($id: ID!) {
    capability(id: $id) {
      id
      matchingNeeds(first: 20) {
        totalCount
        edges {
          node {
            score
            sealed
            matchedTerms
            need {
              id
              title
            }
          }
        }
      }
    }
  }
`);

export async function registerAndSeeNeeds(expectedNeedId?: string): Promise<void> {
  const session = await signIn(demo.faculty);
  const client = gql({ session });
  const me = await query(client, MyOrganizations, {});
  const lab = present(me.me?.memberships[0], "the faculty member's lab").organization;

  const created = await mutate(client, CreateCapability, {
    input: {
      organizationId: lab.id,
      title: `滚动轴承早期故障智能诊断 ${run}`,
      summary:
        "基于振动信号与深度学习的滚动轴承早期故障诊断与剩余寿命预测，已在风电齿轮箱上验证。Early fault diagnosis of rolling bearings from vibration signals.",
      keywords: ["轴承", "故障诊断", "振动监测", "bearing", "fault diagnosis"],
      trl: 6,
    },
  });
  const capability = created.createCapability.capability;
  const published = await mutate(client, PublishCapability, { input: { id: capability.id } });
  expectEqual(published.publishCapability.capability.status, "PUBLISHED", "status after publishing");

  const profile = await mutate(client, UpsertProfile, {
    input: {
      organizationId: lab.id,
      linkToMe: true,
      name: "张伟 Zhang Wei",
      title: "教授 Professor",
      keywords: ["故障诊断", "fault diagnosis", "振动"],
    },
  });
  expectEqual(profile.upsertTalentProfile.talent.title, "教授 Professor", "profile title");
  const mine = await query(client, MyProfile, {});
  expectEqual(mine.me?.talentProfile?.id, profile.upsertTalentProfile.talent.id, "me.talentProfile is the profile just saved");

  const read = await query(client, MatchingNeeds, { id: capability.id });
  const needs = present(read.capability, "the capability just published").matchingNeeds;
  expectTrue(needs.totalCount > 0, "the capability fits some needs");
  for (const { node } of needs.edges) {
    expectTrue(node.score > 0 && node.score <= 1, "scores are between 0 and 1");
  }
  if (expectedNeedId) {
    expectTrue(
      // `need` is null for a CONFIDENTIAL need the lab sees blind (`sealed`).
      needs.edges.some((e) => e.node.need?.id === expectedNeedId),
      "the enterprise's bearing need is among the needs the capability fits",
    );
  }
}
