// Runs every journey against the server at IURHUB_URL and exits non-zero
// when one fails.
import { signUpInRefresh } from "./journeys/auth.js";
import { postPublishAndDecide } from "./journeys/enterprise.js";
import { registerAndSeeNeeds } from "./journeys/faculty.js";
import { matchToProject } from "./journeys/coordinator.js";
import { bookWithConflictAndApproval } from "./journeys/booking.js";
import { searchAndPage } from "./journeys/search.js";
import { formErrorsMapToFields } from "./journeys/forms.js";

async function journey(name: string, run: () => Promise<unknown>): Promise<boolean> {
  const started = Date.now();
  try {
    await run();
    console.log(`ok    ${name} (${Date.now() - started} ms)`);
    return true;
  } catch (err) {
    console.error(`FAIL  ${name}`);
    console.error(err);
    return false;
  }
}

const results: boolean[] = [];
results.push(await journey("sign up, sign in, refresh, sign out", signUpInRefresh));
let posted: { needId: string; acceptedMatchId: string } | undefined;
results.push(
  await journey("an enterprise posts, publishes, reads explained matches and decides", async () => {
    posted = await postPublishAndDecide();
  }),
);
results.push(
  await journey("faculty register a capability and a profile and see the needs it fits", () =>
    registerAndSeeNeeds(posted?.needId),
  ),
);
results.push(
  await journey("a coordinator turns the match into a project, follows it live, exports CSV", async () => {
    if (!posted) throw new Error("no accepted match: the enterprise journey failed");
    await matchToProject(posted.acceptedMatchId);
  }),
);
results.push(await journey("a researcher books, meets a conflict, is approved", bookWithConflictAndApproval));
results.push(await journey("search and paging", searchAndPage));
results.push(await journey("form errors map to fields", formErrorsMapToFields));

const failed = results.filter((ok) => !ok).length;
console.log(failed === 0 ? `all ${results.length} journeys passed` : `${failed} of ${results.length} journeys failed`);
process.exit(failed === 0 ? 0 : 1);
