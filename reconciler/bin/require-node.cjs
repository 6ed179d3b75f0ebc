// Exits with one clear line when Node is older than 24 (written in old-Node-safe CommonJS on purpose).
'use strict';
var major = Number(process.versions.node.split('.')[0]);
if (!(major >= 24)) {
  process.stderr.write(
    'TradingTower requires Node.js 24 or newer (found ' +
      process.version +
      '). Run `nvm use` (see .nvmrc) or bash .ci/run, which bootstraps Node 24.\n',
  );
  process.exit(1);
}
