"""A small JSON Schema checker, Python's standard library only.

It knows the keywords docs/ironlaw-output.schema.json uses: $ref (to
#/$defs/...), oneOf, type, const, enum, required, properties,
additionalProperties, items, minimum. Any other keyword in the schema is an
error, so the schema cannot silently say more than is checked.
"""

KNOWN = {"$schema", "$id", "$defs", "$ref", "title", "description", "oneOf", "type", "const", "enum", "required",
         "properties", "additionalProperties", "items", "minimum"}

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def errors(value, schema, root, path="$"):
    """Every way `value` breaks `schema`, as 'path: what' strings (empty: valid)."""
    unknown = set(schema) - KNOWN
    if unknown:
        return [f"{path}: the schema uses {sorted(unknown)}, which this checker does not know"]
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return errors(value, target, root, path)
    if "oneOf" in schema:
        results = [errors(value, s, root, path) for s in schema["oneOf"]]
        passing = sum(1 for r in results if not r)
        if passing == 1:
            return []
        if passing == 0:
            best = min(results, key=len)
            return [f"{path}: matches none of {len(results)} alternatives; closest: " + "; ".join(best[:3])]
        return [f"{path}: matches {passing} alternatives of oneOf, not exactly one"]
    out = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[k](value) for k in kinds):
            return [f"{path}: {type(value).__name__} {value!r:.60}, not {' or '.join(kinds)}"]
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        out.append(f"{path}: {value!r:.60} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r:.60} is not one of {schema['enum']}")
    if "minimum" in schema and TYPES["number"](value) and value < schema["minimum"]:
        out.append(f"{path}: {value} is below {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{path}: missing '{key}'")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, v in value.items():
            if key in props:
                out += errors(v, props[key], root, f"{path}.{key}")
            elif extra is False:
                out.append(f"{path}: unexpected '{key}'")
            elif isinstance(extra, dict):
                out += errors(v, extra, root, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            out += errors(v, schema["items"], root, f"{path}[{i}]")
    return out
