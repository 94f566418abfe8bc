// Copies the one TextMate grammar (grammar/ipxe.tmLanguage.json at the
// repository root) into the extension at build time, so it is never edited twice.
const fs = require('fs');
const path = require('path');
const from = path.join(__dirname, '..', '..', '..', 'grammar', 'ipxe.tmLanguage.json');
const dir = path.join(__dirname, '..', 'syntaxes');
fs.mkdirSync(dir, { recursive: true });
fs.copyFileSync(from, path.join(dir, 'ipxe.tmLanguage.json'));
console.log(`copied ${from}`);
