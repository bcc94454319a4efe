#!/usr/bin/env node
// Runs the built CLI (npm run build); during development use `npm run cli -- …` instead.
import('../out/main/cli.js');
