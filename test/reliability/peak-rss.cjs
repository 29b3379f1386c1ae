// Preloaded into the CLI under test (NODE_OPTIONS=--require …): when the process exits, its
// peak resident set size (getrusage's ru_maxrss, in KiB) goes to the file PEAK_RSS_FILE names.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.PEAK_RSS_FILE) writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS));
});
