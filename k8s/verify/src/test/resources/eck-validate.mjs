// Validates ECK resources with the JSON-schema validators compiled from ECK's CRDs that the npm package
// @kubernetes-models/elastic-cloud ships. Input (stdin): a JSON array of objects. Output (stdout): a JSON
// array with, per object, null when it is valid or the validator's message.
// Usage: node eck-validate.mjs <package directory>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const packageDir = process.argv[2];
const objects = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const object of objects) {
  try {
    const [group, version] = String(object.apiVersion).split("/");
    const file = `${packageDir}/${group}/${version}/${object.kind}.js`;
    const module = await import(pathToFileURL(file).href);
    new module[object.kind](object).validate();
    results.push(null);
  } catch (error) {
    results.push(String(error.message ?? error));
  }
}
process.stdout.write(JSON.stringify(results));
