// A researcher books an instrument; a second booking of the same slot is
// refused as a conflict; the center's staff approve the first.
import { graphql } from "../generated/graphql/index.js";
import { gql, mutate, present, query, refused } from "../graphql.js";
import { signIn } from "../rest.js";
import { demo } from "../env.js";
import { expectEqual, expectTrue } from "../check.js";

const StaffedInstruments = graphql(`
  query JourneyInstruments {
    instruments(first: 50, filter: { status: [AVAILABLE] }) {
      totalCount
      edges {
        node {
          id
          name
          requiresQualification
          viewerIsStaff
        }
      }
    }
  }
`);

const RequestBooking = graphql(`
  mutation JourneyRequestBooking($input: RequestBookingInput!) {
    requestBooking(input: $input) {
      booking {
        id
        status
        start
        end
      }
    }
  }
`);

const ApproveBooking = graphql(`
  mutation JourneyApproveBooking($input: ApproveBookingInput!) {
    approveBooking(input: $input) {
      booking {
        id
        status
      }
    }
  }
`);

const MyBookings = graphql(`
  query JourneyMyBookings($instrumentId: ID!) {
    bookings(first: 10, filter: { mine: true, instrumentId: $instrumentId }) {
      totalCount
      edges {
        node {
          id
          status
          instrument {
            id
          }
        }
      }
    }
  }
`);

export async function bookWithConflictAndApproval(): Promise<void> {
  const staff = gql({ session: await signIn(demo.staff) });
  const researcher = gql({ session: await signIn(demo.researcher) });

  const listed = await query(staff, StaffedInstruments, {});
  const instrument = present(
    listed.instruments.edges.map((e) => e.node).find((i) => i.viewerIsStaff && !i.requiresQualification),
    "an instrument the center's staff run that needs no qualification",
  );

  // A whole hour some days ahead (a random one, so a rerun on the same server finds it free).
  const start = new Date();
  start.setUTCDate(start.getUTCDate() + 3 + Math.floor(Math.random() * 20));
  start.setUTCHours(1 + Math.floor(Math.random() * 8), 0, 0, 0);
  const end = new Date(start.getTime() + 2 * 3600_000);
  const input = {
    instrumentId: instrument.id,
    start: start.toISOString(),
    end: end.toISOString(),
    purpose: "轴承试样疲劳测试 Bearing sample fatigue test",
  };

  const booked = (await mutate(researcher, RequestBooking, { input })).requestBooking.booking;
  expectEqual(booked.status, "REQUESTED", "a new booking waits for approval");

  const halfOverlapping = {
    ...input,
    start: new Date(start.getTime() + 3600_000).toISOString(),
    end: new Date(end.getTime() + 3600_000).toISOString(),
  };
  const errors = await refused(staff, RequestBooking, { input: halfOverlapping });
  expectEqual(errors[0]?.extensions.code, "CONFLICT", "an overlapping booking's error code");

  const approved = (await mutate(staff, ApproveBooking, { input: { id: booked.id } })).approveBooking.booking;
  expectEqual(approved.status, "APPROVED", "status after approval");

  const mine = await query(researcher, MyBookings, { instrumentId: instrument.id });
  expectTrue(
    mine.bookings.edges.some((e) => e.node.id === booked.id && e.node.status === "APPROVED"),
    "the researcher sees the approved booking among their own",
  );
}
