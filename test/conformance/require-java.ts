import { javaProblem } from '../support/dynamodb-local.ts';

/**
 * Global setup of `npm run test:conformance`: without Java the run stops with the reason and a
 * non-zero exit, before any suite could fall back to something else and pass.
 */
export default function requireJava(): void {
  const problem = javaProblem();
  if (problem)
    throw new Error(`${problem} Install a JDK 17 (e.g. "apt-get install openjdk-17-jre-headless").`);
}
