// Validates Kubernetes objects with the JSON-schema validators that the npm packages of kubernetes-models
// ship, compiled from the published schemas: `kubernetes-models` (Kubernetes' OpenAPI) and
// `@kubernetes-models/elastic-cloud` (ECK's CRDs). Input (stdin): a JSON array of objects. Output (stdout):
// a JSON array with, per object, null when it is valid or the validator's message.
// Usage: node npm-models-validate.mjs <package directory>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const packageDir = process.argv[2];
const objects = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const object of objects) {
  try {
    // "v1" is the core group, laid out at the package root; "group/version" under the group's folder
    const apiVersion = String(object.apiVersion);
    const file = `${packageDir}/${apiVersion}/${object.kind}.js`;
    const module = await import(pathToFileURL(file).href);
    new module[object.kind](object).validate();
    results.push(null);
  } catch (error) {
    results.push(String(error.message ?? error));
  }
}
process.stdout.write(JSON.stringify(results));
