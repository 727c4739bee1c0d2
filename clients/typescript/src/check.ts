// Assertions with messages a failing CI log can be read by.
import { strict as assert } from "node:assert";

export { assert };

export function expectEqual<T>(actual: T, expected: T, what: string): void {
  assert.deepEqual(actual, expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export function expectTrue(condition: boolean, what: string): asserts condition {
  assert.ok(condition, what);
}

/** A unique suffix, so journeys can run twice against one server. */
export const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
