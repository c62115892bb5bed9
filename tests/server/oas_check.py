#!/usr/bin/env python3
"""oas_check.py OPENAPI LOG - every JSON answer the suite received, checked
against the response schema docs/openapi.json gives for its path, method
and status.  Strict: an object whose schema lists its properties (and does
not say additionalProperties: true) may have no other key, so a field the
server sends and the document does not describe is a failure too.

LOG has one line per answer: STATUS METHOD PATH FILE.  Prints one line per
failure (at most 5 per route and status) and, last, "PASSED FAILED".
Needs openapi-schema-validator (the OpenAPI 3.0 dialect: nullable)."""
import copy
import json
import re
import sys

from openapi_schema_validator import OAS30Validator


def strict(node):
    """additionalProperties: false wherever an object schema lists its
    properties and says nothing else."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for v in node.values():
            strict(v)
    elif isinstance(node, list):
        for v in node:
            strict(v)


def main():
    doc = json.load(open(sys.argv[1]))
    comps = copy.deepcopy(doc["components"])
    strict(comps["schemas"])
    routes = []
    for path, ops in doc["paths"].items():
        rx = re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path)) + "$")
        routes.append((rx, ops))
    passed = failed = 0
    shown = {}
    for line in open(sys.argv[2]):
        status, method, url, body = line.rstrip("\n").split(" ", 3)
        path = url.split("?", 1)[0]
        ops = next((o for rx, o in routes if rx.match(path)), None)
        key = (method, re.sub(r"/agreements/[^/]+", "/agreements/{id}", path), status)
        why = None
        if ops is None:
            if status in ("404", "405") or not path.startswith("/api/"):
                continue  # unknown paths and pages: not the API's
            why = "no such path in the document"
        elif method.lower() not in ops:
            if status == "405":
                continue
            why = "no such operation in the document"
        else:
            resp = ops[method.lower()]["responses"].get(status) or ops[method.lower()]["responses"].get("default")
            if resp is None:
                why = "status not documented"
            else:
                if "$ref" in resp:
                    resp = doc["components"]["responses"][resp["$ref"].rsplit("/", 1)[1]]
                schema = resp.get("content", {}).get("application/json", {}).get("schema")
                if schema is None:
                    why = "no application/json answer documented for this status"
                else:
                    schema = strict_copy(schema)
                    schema["components"] = comps
                    try:
                        instance = json.load(open(body))
                    except ValueError as e:
                        why = "not JSON: %s" % e
                    else:
                        errors = sorted(OAS30Validator(schema).iter_errors(instance), key=lambda e: list(e.path))
                        if errors:
                            e = errors[0]
                            where = "/".join(str(p) for p in e.absolute_path)
                            why = "%s (at /%s)" % (e.message[:300], where)
        if why is None:
            passed += 1
            continue
        failed += 1
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= 5:
            print("FAIL server API: the answer to %s %s (%s) matches openapi.json: %s" % (method, url, status, why))
    print(passed, failed)


def strict_copy(schema):
    s = copy.deepcopy(schema)
    strict(s)
    return s


if __name__ == "__main__":
    main()
