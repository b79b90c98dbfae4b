/** `npm run bench`: speed figures printed with ratios to baselines measured in the same run. */
import { benchCore } from './bench/core';

for (const line of benchCore()) console.log(line);
