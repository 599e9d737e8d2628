// A closing line CI can read: `N passed, N failed`.
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";

export default class CountReporter implements Reporter {
  private passed = 0;
  private failed = 0;

  onTestEnd(test: TestCase, result: TestResult): void {
    // Counted once, on the final attempt.
    if (result.retry < test.retries && result.status !== "passed") return;
    if (result.status === "passed") this.passed += 1;
    else if (result.status !== "skipped") this.failed += 1;
  }

  onEnd(): void {
    console.log(`${this.passed} passed, ${this.failed} failed`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
