"""The structure SARIF 2.1.0 requires, checked without the network.

Written from the OASIS schema (sarif-schema-2.1.0.json, "definitions"): for
every object dmarc-doctor writes - the log, run, tool, toolComponent,
reportingDescriptor, reportingConfiguration, multiformatMessageString,
message, result, location, physicalLocation, artifactLocation, region,
logicalLocation, propertyBag - the members the schema allows
(additionalProperties: false), the ones it requires, their JSON types,
enums, minimums, "uri"/"uri-reference" formats and uniqueItems. Objects
we never write are accepted as objects and not looked into. On top, what
the spec says in prose and GitHub code scanning relies on: ruleIndex points
at the rule with that ruleId.

validate(doc) returns a list of "path: problem" strings; empty means valid.
Standard library only.
"""

import re

LEVELS = ["none", "note", "warning", "error"]

# member -> (kind, extra); kinds: str, int, num, bool, obj:<def>, arr:<def>,
# map:<type> (an object whose values are of a type), enum, any
DEFS = {
    "log": {
        "required": ["version", "runs"],
        "props": {
            "$schema": ("uri",), "version": ("enum", ["2.1.0"]), "runs": ("arr", "run"),
            "inlineExternalProperties": ("arr", "other", True), "properties": ("obj", "propertyBag"),
        },
    },
    "run": {
        "required": ["tool"],
        "props": {
            "tool": ("obj", "tool"), "invocations": ("arr", "other"), "conversion": ("obj", "other"),
            "language": ("str",), "versionControlProvenance": ("arr", "other", True),
            "originalUriBaseIds": ("map", "other"), "artifacts": ("arr", "other", True),
            "logicalLocations": ("arr", "logicalLocation", True), "graphs": ("arr", "other", True),
            "results": ("arr", "result"), "automationDetails": ("obj", "other"),
            "runAggregates": ("arr", "other", True), "baselineGuid": ("str",),
            "redactionTokens": ("arr", "str", True), "defaultEncoding": ("str",),
            "defaultSourceLanguage": ("str",), "newlineSequences": ("arr", "str", True),
            "columnKind": ("enum", ["utf16CodeUnits", "unicodeCodePoints"]),
            "externalPropertyFileReferences": ("obj", "other"),
            "threadFlowLocations": ("arr", "other", True), "taxonomies": ("arr", "other", True),
            "addresses": ("arr", "other"), "translations": ("arr", "other", True),
            "policies": ("arr", "other", True), "webRequests": ("arr", "other", True),
            "webResponses": ("arr", "other", True), "specialLocations": ("obj", "other"),
            "properties": ("obj", "propertyBag"),
        },
    },
    "tool": {
        "required": ["driver"],
        "props": {"driver": ("obj", "toolComponent"), "extensions": ("arr", "toolComponent", True),
                  "properties": ("obj", "propertyBag")},
    },
    "toolComponent": {
        "required": ["name"],
        "props": {
            "guid": ("str",), "name": ("str",), "organization": ("str",), "product": ("str",),
            "productSuite": ("str",), "shortDescription": ("obj", "multiformatMessageString"),
            "fullDescription": ("obj", "multiformatMessageString"), "fullName": ("str",),
            "version": ("str",), "semanticVersion": ("str",), "dottedQuadFileVersion": ("str",),
            "releaseDateUtc": ("str",), "downloadUri": ("uri",), "informationUri": ("uri",),
            "globalMessageStrings": ("map", "multiformatMessageString"),
            "notifications": ("arr", "reportingDescriptor", True),
            "rules": ("arr", "reportingDescriptor", True), "taxa": ("arr", "reportingDescriptor", True),
            "locations": ("arr", "artifactLocation"), "language": ("str",),
            "contents": ("arr", "enum:localizedData,nonLocalizedData", True),
            "isComprehensive": ("bool",), "localizedDataSemanticVersion": ("str",),
            "minimumRequiredLocalizedDataSemanticVersion": ("str",),
            "associatedComponent": ("obj", "other"), "translationMetadata": ("obj", "other"),
            "supportedTaxonomies": ("arr", "other", True), "properties": ("obj", "propertyBag"),
        },
    },
    "reportingDescriptor": {
        "required": ["id"],
        "props": {
            "id": ("str",), "deprecatedIds": ("arr", "str", True), "guid": ("str",),
            "deprecatedGuids": ("arr", "str", True), "name": ("str",),
            "deprecatedNames": ("arr", "str", True),
            "shortDescription": ("obj", "multiformatMessageString"),
            "fullDescription": ("obj", "multiformatMessageString"),
            "messageStrings": ("map", "multiformatMessageString"),
            "defaultConfiguration": ("obj", "reportingConfiguration"), "helpUri": ("uri",),
            "help": ("obj", "multiformatMessageString"), "relationships": ("arr", "other", True),
            "properties": ("obj", "propertyBag"),
        },
    },
    "reportingConfiguration": {
        "required": [],
        "props": {"enabled": ("bool",), "level": ("enum", LEVELS), "rank": ("num", -1.0, 100.0),
                  "parameters": ("obj", "propertyBag"), "properties": ("obj", "propertyBag")},
    },
    "multiformatMessageString": {
        "required": ["text"],
        "props": {"text": ("str",), "markdown": ("str",), "properties": ("obj", "propertyBag")},
    },
    "message": {
        "required": [],
        "props": {"text": ("str",), "markdown": ("str",), "id": ("str",),
                  "arguments": ("arr", "str"), "properties": ("obj", "propertyBag")},
    },
    "result": {
        "required": ["message"],
        "props": {
            "ruleId": ("str",), "ruleIndex": ("int", -1), "rule": ("obj", "other"),
            "kind": ("enum", ["notApplicable", "pass", "fail", "review", "open", "informational"]),
            "level": ("enum", LEVELS), "message": ("obj", "message"),
            "analysisTarget": ("obj", "artifactLocation"), "locations": ("arr", "location"),
            "guid": ("str",), "correlationGuid": ("str",), "occurrenceCount": ("int", 1),
            "partialFingerprints": ("map", "str"), "fingerprints": ("map", "str"),
            "stacks": ("arr", "other", True), "codeFlows": ("arr", "other"),
            "graphs": ("arr", "other", True), "graphTraversals": ("arr", "other", True),
            "relatedLocations": ("arr", "location", True), "suppressions": ("arr", "other", True),
            "baselineState": ("enum", ["new", "unchanged", "updated", "absent"]),
            "rank": ("num", -1.0, 100.0), "attachments": ("arr", "other", True),
            "hostedViewerUri": ("uri",), "workItemUris": ("arr", "str", True),
            "provenance": ("obj", "other"), "fixes": ("arr", "other", True),
            "taxa": ("arr", "other", True), "webRequest": ("obj", "other"),
            "webResponse": ("obj", "other"), "properties": ("obj", "propertyBag"),
        },
    },
    "location": {
        "required": [],
        "props": {"id": ("int", -1), "physicalLocation": ("obj", "physicalLocation"),
                  "logicalLocations": ("arr", "logicalLocation", True), "message": ("obj", "message"),
                  "annotations": ("arr", "region", True), "relationships": ("arr", "other", True),
                  "properties": ("obj", "propertyBag")},
    },
    "physicalLocation": {
        "required": [],
        "props": {"address": ("obj", "other"), "artifactLocation": ("obj", "artifactLocation"),
                  "region": ("obj", "region"), "contextRegion": ("obj", "region"),
                  "properties": ("obj", "propertyBag")},
    },
    "artifactLocation": {
        "required": [],
        "props": {"uri": ("uriref",), "uriBaseId": ("str",), "index": ("int", -1),
                  "description": ("obj", "message"), "properties": ("obj", "propertyBag")},
    },
    "region": {
        "required": [],
        "props": {"startLine": ("int", 1), "startColumn": ("int", 1), "endLine": ("int", 1),
                  "endColumn": ("int", 1), "charOffset": ("int", -1), "charLength": ("int", 0),
                  "byteOffset": ("int", -1), "byteLength": ("int", 0), "snippet": ("obj", "other"),
                  "message": ("obj", "message"), "sourceLanguage": ("str",),
                  "properties": ("obj", "propertyBag")},
    },
    "logicalLocation": {
        "required": [],
        "props": {"name": ("str",), "index": ("int", -1), "fullyQualifiedName": ("str",),
                  "decoratedName": ("str",), "parentIndex": ("int", -1), "kind": ("str",),
                  "properties": ("obj", "propertyBag")},
    },
}

# RFC 3986: a URI has a scheme; a reference may be relative. Both are made of
# these characters, with '%' only before two hex digits.
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")
PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _uri_problem(value, absolute):
    if not isinstance(value, str):
        return "is not a string"
    if not URI_CHARS.match(value) or PCT.search(value):
        return f"{value!r} is not a URI (characters outside RFC 3986, or a bad %-escape)"
    if absolute and not SCHEME.match(value):
        return f"{value!r} is not an absolute URI (no scheme)"
    return None


def _unique(items):
    seen = []
    for item in items:
        if item in seen:
            return False
        seen.append(item)
    return True


def _check_value(value, spec, path, errors):
    kind = spec[0]
    if kind == "str":
        if not isinstance(value, str):
            errors.append(f"{path}: expected a string")
    elif kind in ("int", "num"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if kind == "int":
            ok = ok and float(value).is_integer()
        if not ok:
            errors.append(f"{path}: expected {'an integer' if kind == 'int' else 'a number'}")
        elif len(spec) > 1 and value < spec[1]:
            errors.append(f"{path}: {value} is below the minimum {spec[1]}")
        elif len(spec) > 2 and value > spec[2]:
            errors.append(f"{path}: {value} is above the maximum {spec[2]}")
    elif kind == "bool":
        if not isinstance(value, bool):
            errors.append(f"{path}: expected true or false")
    elif kind == "enum":
        if value not in spec[1]:
            errors.append(f"{path}: {value!r} is not one of {spec[1]}")
    elif kind in ("uri", "uriref"):
        problem = _uri_problem(value, kind == "uri")
        if problem:
            errors.append(f"{path}: {problem}")
    elif kind == "obj":
        _check_object(value, spec[1], path, errors)
    elif kind == "map":
        if not isinstance(value, dict):
            errors.append(f"{path}: expected an object")
            return
        for key, item in value.items():
            if spec[1] == "str":
                _check_value(item, ("str",), f"{path}.{key}", errors)
            else:
                _check_object(item, spec[1], f"{path}.{key}", errors)
    elif kind == "arr":
        if not isinstance(value, list):
            errors.append(f"{path}: expected an array")
            return
        if len(spec) > 2 and spec[2] and not _unique(value):
            errors.append(f"{path}: items must be unique")
        item_kind = spec[1]
        for i, item in enumerate(value):
            if item_kind == "str":
                _check_value(item, ("str",), f"{path}[{i}]", errors)
            elif item_kind.startswith("enum:"):
                _check_value(item, ("enum", item_kind[5:].split(",")), f"{path}[{i}]", errors)
            else:
                _check_object(item, item_kind, f"{path}[{i}]", errors)


def _check_object(obj, definition, path, errors):
    if not isinstance(obj, dict):
        errors.append(f"{path}: expected an object ({definition})")
        return
    if definition == "other":
        return
    if definition == "propertyBag":
        if "tags" in obj:
            _check_value(obj["tags"], ("arr", "str", True), f"{path}.tags", errors)
        return
    d = DEFS[definition]
    for name in d["required"]:
        if name not in obj:
            errors.append(f"{path}: {definition} requires '{name}'")
    for name, value in obj.items():
        if name not in d["props"]:
            errors.append(f"{path}: '{name}' is not a member of {definition}")
            continue
        _check_value(value, d["props"][name], f"{path}.{name}", errors)


def validate(doc):
    """Problems with a SARIF 2.1.0 log (parsed JSON); [] when it is valid."""
    errors = []
    _check_object(doc, "log", "$", errors)
    if errors:
        return errors
    for r, run in enumerate(doc["runs"]):
        rules = run["tool"]["driver"].get("rules", [])
        ids = [rule["id"] for rule in rules]
        if len(set(ids)) != len(ids):
            errors.append(f"$.runs[{r}].tool.driver.rules: a rule id appears twice")
        for i, res in enumerate(run.get("results", [])):
            path = f"$.runs[{r}].results[{i}]"
            if "ruleIndex" in res:
                k = res["ruleIndex"]
                if not 0 <= k < len(rules):
                    errors.append(f"{path}.ruleIndex: {k} is not an index of the rules")
                elif res.get("ruleId") != rules[k]["id"]:
                    errors.append(f"{path}: ruleId {res.get('ruleId')!r} is not rules[{k}].id")
            if "text" not in res["message"] and "id" not in res["message"]:
                errors.append(f"{path}.message: needs text or id")
            for j, loc in enumerate(res.get("locations", [])):
                phys = loc.get("physicalLocation")
                if phys is not None and "artifactLocation" not in phys and "address" not in phys:
                    errors.append(f"{path}.locations[{j}].physicalLocation: needs an "
                                  "artifactLocation or an address")
    return errors
