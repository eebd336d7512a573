#!/usr/bin/python3
"""Validates JSON files against a JSON Schema (draft 2020-12) with python3-jsonschema.

usage: validate_with_schema.py SCHEMA INSTANCE...

Prints one line per instance, "ok: PATH" or "invalid: PATH: POINTER: MESSAGE"
(the most relevant error, as jsonschema's best_match chooses it). Exits 0 when
every instance is valid, 1 when any is not, 2 when the schema itself is not a
valid draft 2020-12 schema or a file cannot be read, 3 when jsonschema is
missing (so callers can skip rather than fail).
"""

import json
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
except ImportError as error:  # pragma: no cover - depends on the machine
    print(f"error: python3-jsonschema is not installed: {error}", file=sys.stderr)
    sys.exit(3)


def load(path):
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def pointer_of(error):
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in error.absolute_path)


def main(arguments):
    if len(arguments) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        schema = load(arguments[0])
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as error:
        print(f"error: {arguments[0]}: not a valid draft 2020-12 schema: {error}", file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    all_valid = True
    for path in arguments[1:]:
        try:
            instance = load(path)
        except (OSError, ValueError) as error:
            print(f"error: {path}: cannot read: {error}", file=sys.stderr)
            return 2
        error = best_match(validator.iter_errors(instance))
        if error is None:
            print(f"ok: {path}")
        else:
            all_valid = False
            message = error.message.replace("\n", " ")
            print(f"invalid: {path}: {pointer_of(error)}: {message}")
    return 0 if all_valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
