// Writes Jest's aggregated counts to $JEST_SUMMARY_OUT so .ci/run can print `N passed, N failed`.
'use strict';
const fs = require('node:fs');
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const out = process.env.JEST_SUMMARY_OUT;
    if (!out) return;
    fs.writeFileSync(
      out,
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
      }),
    );
  }
}
module.exports = SummaryReporter;
