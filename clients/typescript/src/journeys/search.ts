// Search across needs, capabilities and talents, and page through a list
// with cursors.
import { graphql } from "../generated/graphql/index.js";
import { gql, query } from "../graphql.js";
import type { JourneyCapabilityPageQuery } from "../generated/graphql/graphql.js";
import { expectEqual, expectTrue } from "../check.js";

const Search = graphql(`
  query JourneySearch($query: String!, $after: String) {
    search(query: $query, first: 5, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        score
        snippet
        matchedTerms
        node {
        __typename
        ... on Need {
          id
          title
        }
        ... on Capability {
          id
          title
        }
        ... on Talent {
          id
          name
        }
      }
      }
    }
  }
`);

const CapabilityPage = graphql(`
  query JourneyCapabilityPage($first: Int!, $after: String) {
    capabilities(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          title
        }
      }
    }
  }
`);

export async function searchAndPage(): Promise<void> {
  const client = gql();
  const found = await query(client, Search, { query: "轴承 故障诊断", after: null });
  const hits = found.search;
  expectTrue(hits.totalCount > 5, "a search for bearing fault diagnosis finds more than a page");
  let previous = Number.POSITIVE_INFINITY;
  for (const hit of hits.edges) {
    expectTrue(hit.score <= previous, "hits come best first");
    previous = hit.score;
    expectTrue(hit.snippet.length > 0, "every hit has a snippet");
    for (const term of hit.matchedTerms) {
      expectTrue([...term].length > 1 && !/^\d+$/.test(term), `matched term ${term} is a word as written`);
    }
  }
  const next = await query(client, Search, { query: "轴承 故障诊断", after: hits.pageInfo.endCursor ?? null });
  const firstPage = new Set(hits.edges.map((e) => e.cursor));
  expectTrue(next.search.edges.length > 0, "the second page of hits is not empty");
  expectTrue(next.search.edges.every((e) => !firstPage.has(e.cursor)), "the second page continues the first");

  // Walk the whole public capability list five at a time.
  const seen = new Set<string>();
  let after: string | null = null;
  let total = -1;
  for (let page = 0; page < 100; page += 1) {
    const result: JourneyCapabilityPageQuery = await query(client, CapabilityPage, { first: 5, after });
    const connection = result.capabilities;
    total = connection.totalCount;
    for (const edge of connection.edges) {
      expectTrue(!seen.has(edge.node.id), `capability ${edge.node.id} appears on one page only`);
      seen.add(edge.node.id);
    }
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor ?? null;
  }
  expectEqual(seen.size, total, "paging visits every capability exactly once");
}
