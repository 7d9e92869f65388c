#!/usr/bin/env python3
"""Fails unless CTest ran every Catch2 test case of every test binary.

usage: check_test_counts.py BUILD_DIR JUNIT_XML

For each unit-test binary (BUILD_DIR/tests/<layer>_tests), the test cases the
binary lists must be exactly the `<layer>: ...` tests in CTest's JUnit report,
each run (passed or failed, never "notrun"). A registration that drifts from
the binary, a case CTest never saw, or a CTest entry that matched nothing
fails here, with the names.
"""
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    build, junit = pathlib.Path(sys.argv[1]), sys.argv[2]
    ran = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        ran[case.get("name")] = case.get("status")
    binaries = sorted(p for p in (build / "tests").glob("*_tests") if p.is_file())
    if not binaries:
        print(f"check_test_counts: no test binaries in {build / 'tests'}")
        return 1
    ok = True
    for binary in binaries:
        layer = binary.name.removesuffix("_tests")
        listed = subprocess.run([str(binary), "--list-test-names-only"], capture_output=True, text=True, check=False)
        expected = {f"{layer}: " + n.replace(";", ",") for n in listed.stdout.splitlines() if n.strip()}
        registered = {name for name in ran if name.startswith(f"{layer}: ")}
        executed = {name for name in registered if ran[name] in ("run", "fail")}
        missing, extra = sorted(expected - executed), sorted(registered - expected)
        print(f"{binary.name}: {len(expected)} test cases listed, {len(executed)} run by CTest")
        for name in missing:
            print(f"  not run: {name}")
        for name in extra:
            print(f"  registered but not a test case: {name}")
        ok = ok and not missing and not extra and len(expected) > 0
    not_built = [name for name in ran if name.endswith("_NOT_BUILT")]
    for name in not_built:
        print(f"  not built: {name}")
    return 0 if ok and not not_built else 1


if __name__ == "__main__":
    sys.exit(main())
