// A coordinator turns an accepted match into a project with milestones and a
// checklist, follows it live over WebSocket and exports the project list.
import { print } from "graphql";
import { graphql } from "../generated/graphql/index.js";
import type { JourneyProjectEventsSubscription } from "../generated/graphql/graphql.js";
import { connected, gql, mutate, waitFor, ws } from "../graphql.js";
import { bearer, rest, signIn } from "../rest.js";
import { demo } from "../env.js";
import { expectEqual, expectTrue } from "../check.js";

const AcceptForCapability = graphql(`
  mutation JourneyAcceptForCapability($input: AcceptMatchInput!) {
    acceptMatch(input: $input) {
      match {
        id
        status
        waitingFor
        viewerSides
      }
    }
  }
`);

const FromMatch = graphql(`
  mutation JourneyProjectFromMatch($input: CreateProjectFromMatchInput!) {
    createProjectFromMatch(input: $input) {
      project {
        id
        title
        status
        version
        parties {
          id
          name
        }
      }
    }
  }
`);

const AddMilestone = graphql(`
  mutation JourneyAddMilestone($input: AddMilestoneInput!) {
    addMilestone(input: $input) {
      milestone {
        id
        title
      }
    }
  }
`);

const AddItem = graphql(`
  mutation JourneyAddItem($input: AddChecklistItemInput!) {
    addChecklistItem(input: $input) {
      item {
        id
        status
        version
      }
      project {
        progress {
          done
          total
        }
      }
    }
  }
`);

const CompleteItem = graphql(`
  mutation JourneyCompleteItem($input: ChecklistItemTransitionInput!) {
    completeChecklistItem(input: $input) {
      item {
        id
        status
      }
      project {
        progress {
          done
          total
          percent
        }
      }
    }
  }
`);

const Agree = graphql(`
  mutation JourneyAgreeProject($input: ProjectTransitionInput!) {
    agreeProject(input: $input) {
      project {
        id
        status
        version
      }
    }
  }
`);

const Start = graphql(`
  mutation JourneyStartProject($input: ProjectTransitionInput!) {
    startProject(input: $input) {
      project {
        id
        status
        version
      }
    }
  }
`);

const ProjectEvents = graphql(`
  subscription JourneyProjectEvents($projectId: ID!) {
    projectUpdated(projectId: $projectId) {
      __typename
      id
      kind
      createdAt
      actor {
        id
        displayName
      }
      project {
        id
        status
      }
      ... on ProjectStatusChangedEvent {
        from
        to
      }
      ... on ChecklistItemStatusChangedEvent {
        item {
          id
          title
        }
        itemTo: to
      }
    }
  }
`);

type Event = JourneyProjectEventsSubscription["projectUpdated"];

export async function matchToProject(matchId: string): Promise<void> {
  const session = await signIn(demo.coordinator);
  const client = gql({ session });

  // The coordinator's scope holds both organisations: it brokers the pair and
  // accepts for the capability's side, which makes the match ACCEPTED.
  const brokered = await mutate(client, AcceptForCapability, { input: { id: matchId, side: "CAPABILITY" } });
  expectEqual(brokered.acceptMatch.match.status, "ACCEPTED", "both sides have accepted");
  expectEqual(brokered.acceptMatch.match.waitingFor, [], "nobody is waited for");
  expectTrue(brokered.acceptMatch.match.viewerSides.includes("CAPABILITY"), "the coordinator decides for the capability's side");

  const created = await mutate(client, FromMatch, { input: { matchId, area: "JOINT_RESEARCH_PLATFORM" } });
  const project = created.createProjectFromMatch.project;
  expectEqual(project.status, "PROPOSED", "a new project is proposed");
  expectEqual(project.parties.length, 2, "the need's and the capability's organisations are the parties");

  // Follow the project live while working on it.
  const events: Event[] = [];
  const socket = ws(session);
  const ready = connected(socket);
  let failure: unknown;
  const stop = socket.subscribe(
    { query: print(ProjectEvents), variables: { projectId: project.id } },
    {
      next: (message) => {
        const data = message.data as JourneyProjectEventsSubscription | null | undefined;
        if (data) events.push(data.projectUpdated);
        if (message.errors) failure = message.errors;
      },
      error: (err) => {
        failure = err;
      },
      complete: () => {},
    },
  );
  await ready;

  const milestone = (
    await mutate(client, AddMilestone, {
      input: { projectId: project.id, title: "样机验证 Prototype validated", dueDate: "2027-06-30" },
    })
  ).addMilestone.milestone;
  const item = (
    await mutate(client, AddItem, {
      input: { projectId: project.id, milestoneId: milestone.id, title: "采集振动数据 Collect vibration data" },
    })
  ).addChecklistItem;
  expectEqual(item.project.progress.total, 1, "the checklist has one item");

  const agreed = (await mutate(client, Agree, { input: { id: project.id, version: project.version } })).agreeProject.project;
  const started = (await mutate(client, Start, { input: { id: project.id, version: agreed.version } })).startProject.project;
  expectEqual(started.status, "IN_PROGRESS", "status after starting");
  const done = (await mutate(client, CompleteItem, { input: { id: item.item.id, version: item.item.version } }))
    .completeChecklistItem;
  expectEqual(done.project.progress.percent, 100, "progress after the only item is done");

  await waitFor(() => events.some((e) => e.kind === "ITEM_STATUS_CHANGED"), "the live events", () => failure);
  stop();
  await socket.dispose();
  const kinds = events.map((e) => e.kind);
  for (const kind of ["MILESTONE_ADDED", "ITEM_ADDED", "STATUS_CHANGED", "ITEM_STATUS_CHANGED"] as const) {
    expectTrue(kinds.includes(kind), `a ${kind} event arrived (got ${kinds.join(", ")})`);
  }
  expectTrue(
    events.every((e) => e.project?.id === project.id),
    "every event is about the project subscribed to",
  );
  // Typed events: the timeline shows "agreed → in progress" and the item itself.
  const statusChanges = events.flatMap((e) => (e.__typename === "ProjectStatusChangedEvent" ? [e] : []));
  expectTrue(
    statusChanges.some((e) => e.from === "AGREED" && e.to === "IN_PROGRESS"),
    "a status change from AGREED to IN_PROGRESS arrived",
  );
  const itemDone = events.flatMap((e) => (e.__typename === "ChecklistItemStatusChangedEvent" ? [e] : []));
  expectTrue(
    itemDone.some((e) => e.item?.id === item.item.id && e.itemTo === "DONE"),
    "the completed item arrived as an object",
  );

  // The project list as a spreadsheet.
  const csv = await rest.GET("/api/v1/projects.csv", {
    params: { query: { status: "IN_PROGRESS" } },
    headers: bearer(session),
    parseAs: "text",
  });
  expectEqual(csv.response.status, 200, "CSV export status");
  expectTrue(
    (csv.response.headers.get("content-type") ?? "").startsWith("text/csv"),
    "the export is CSV",
  );
  expectTrue((csv.data ?? "").includes(project.title), "the export lists the project");
}
