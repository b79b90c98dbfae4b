/** `npm run bench`: speed figures printed with ratios to baselines measured in the same run. */
import { benchCore } from './bench/core';
import { benchMap } from './bench/map';

for (const line of benchCore()) console.log(line);
for (const line of await benchMap()) console.log(line);
