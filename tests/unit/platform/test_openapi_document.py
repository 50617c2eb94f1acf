"""The OpenAPI document tells the truth, read as a client (or an SDK generator) reads it.

Every check walks the whole generated document, so a route added later (subscriptions, billing)
is held to the same rules without a test of its own. `test_problem_documentation_is_derived`
builds routes the app does not have, to prove the problems come from what a route is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from litestar import Controller, Litestar, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from nexuscore.bootstrap.cli import main
from nexuscore.platform.http.openapi import openapi_config, refine_document
from nexuscore.platform.http.problem_docs import (
    FORBIDDEN,
    NOT_FOUND,
    RATE_LIMITED,
    ProblemDoc,
    derived_problems,
    document_problems,
    problems,
)
from nexuscore.platform.http.problems import PROBLEM_JSON
from nexuscore.platform.http.structs import Limit, RequestBody

METHODS = {"get", "put", "post", "patch", "delete"}
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
PAGE_FIELDS = {"items", "total", "limit", "offset", "hasMore"}
# Litestar's own error shape, which the server never sends.
LITESTAR_ERROR_FIELDS = {"status_code", "detail", "extra"}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The document as `nexuscore openapi` writes it (what the SDKs are generated from)."""
    tmp = tmp_path_factory.mktemp("spec")
    out = tmp / "openapi.json"
    env = {"NEXUSCORE_VAR_DIR": str(tmp), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'x.db'}"}
    result = CliRunner().invoke(main, ["openapi", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(Path(out).read_text())
    return document


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op) for path, item in spec["paths"].items() for method, op in item.items() if method in METHODS
    ]


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _walk(node: Any) -> Any:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def test_every_operation_documents_its_problems_with_the_shared_schema(spec: dict[str, Any]) -> None:
    problem_schemas = {
        name
        for name, schema in spec["components"]["schemas"].items()
        if {"type", "title", "status", "instance"} <= set(schema.get("properties", {}))
    }
    assert {"Problem", "ValidationProblem", "DuplicateLeadProblem"} <= problem_schemas
    for _, _, op in _operations(spec):
        errors = {code: r for code, r in op["responses"].items() if code.startswith(("4", "5"))}
        assert any(code.startswith("4") for code in errors), f"{op['operationId']} documents no 4xx"
        for code, response in errors.items():
            content = response.get("content", {})
            assert list(content) == [PROBLEM_JSON], f"{op['operationId']} {code}: {list(content)}"
            ref = content[PROBLEM_JSON]["schema"]["$ref"].rsplit("/", 1)[1]
            assert ref in problem_schemas, f"{op['operationId']} {code} answers {ref}, not a problem"
            if code == "422":
                assert "errors" in spec["components"]["schemas"][ref]["properties"]
    # Nothing anywhere still uses Litestar's `{status_code, detail, extra}`.
    for schema in _walk(spec):
        assert not set(schema.get("properties", {})) >= LITESTAR_ERROR_FIELDS, schema


def test_every_secured_operation_documents_401(spec: dict[str, Any]) -> None:
    secured = [op for _, _, op in _operations(spec) if op.get("security")]
    assert len(secured) >= 37
    for op in secured:
        assert "401" in op["responses"], op["operationId"]


def test_known_problems_are_documented_where_the_server_answers_them(spec: dict[str, Any]) -> None:
    by_id = {op["operationId"]: op for _, _, op in _operations(spec)}
    create_lead = by_id["createLead"]["responses"]
    duplicate = _resolve(spec, create_lead["409"]["content"][PROBLEM_JSON]["schema"])
    assert {"existingLeadId", "matchedOn"} <= set(duplicate["properties"])
    assert "402" in create_lead and "402" in by_id["importLeads"]["responses"]
    assert "429" in by_id["login"]["responses"] and "429" in by_id["createInvitation"]["responses"]
    for op_id in ("getLead", "listMembers", "listLeadImports"):
        assert {"403", "404"} <= set(by_id[op_id]["responses"]), op_id
    assert {"400", "413", "415", "422"} <= set(by_id["register"]["responses"])
    ready = by_id["getReadiness"]["responses"]
    assert _resolve(spec, ready["200"]["content"]["application/json"]["schema"])["title"] == "ReadyStatus"
    assert "checks" in _resolve(spec, ready["503"]["content"][PROBLEM_JSON]["schema"])["properties"]


def test_parameter_names_are_camel_case_in_paths_and_parameters(spec: dict[str, Any]) -> None:
    for path, _, op in _operations(spec):
        for name in re.findall(r"{([^}]+)}", path):
            assert CAMEL.match(name), f"{path}: {name}"
        for parameter in op.get("parameters", []):
            if parameter["in"] == "header":  # HTTP's own spelling (Idempotency-Key)
                continue
            assert CAMEL.match(parameter["name"]), f"{op['operationId']}: {parameter['name']}"
            if parameter["in"] == "path":
                assert "{" + parameter["name"] + "}" in path


def test_the_role_enum_is_one_shared_component(spec: dict[str, Any]) -> None:
    roles = ["owner", "admin", "member", "viewer"]
    assert spec["components"]["schemas"]["Role"]["enum"] == roles
    inline = [s for s in _walk(spec["paths"]) if s.get("enum") == roles]
    inline += [
        (name, s)
        for name, component in spec["components"]["schemas"].items()
        if name != "Role"
        for s in _walk(component)
        if s.get("enum") == roles
    ]
    assert inline == []


def test_closed_sets_are_enums_and_limits_sit_inside_the_nullable_branch(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["LeadImportResponse"]["properties"]["status"] == {"$ref": "#/components/schemas/ImportStatus"}
    assert schemas["ImportStatus"]["enum"] == ["pending", "running", "completed", "failed"]
    assert schemas["MatchedOn"]["enum"] == ["email", "phone"]
    assert "lead.created" in schemas["AuditEventResponse"]["properties"]["type"]["enum"]
    by_id = {op["operationId"]: op for _, _, op in _operations(spec)}
    leads = {p["name"]: p["schema"] for p in by_id["listLeads"]["parameters"]}
    assert leads["status"]["oneOf"][0] == {"items": {"$ref": "#/components/schemas/LeadStatus"}, "type": "array"}
    assert "-score" in leads["sort"]["oneOf"][0]["enum"]
    assert leads["scoreMin"]["oneOf"][0] == {"type": "integer", "minimum": 0, "maximum": 100}
    assert leads["q"]["oneOf"][0]["maxLength"] == 100  # search.MAX_QUERY_LENGTH
    audit = {p["name"]: p["schema"] for p in by_id["listAuditEvents"]["parameters"]}
    assert "lead.created" in audit["type"]["oneOf"][0]["enum"]
    constraints = {"maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems", "pattern", "enum"}
    for schema in _walk(spec):
        if "oneOf" in schema:
            assert not constraints & set(schema), f"constraints beside a oneOf: {schema}"


def test_no_tag_without_operations(spec: dict[str, Any]) -> None:
    used = {tag for _, _, op in _operations(spec) for tag in op.get("tags", [])}
    declared = [tag["name"] for tag in spec["tags"]]
    assert set(declared) == used and len(declared) == len(used)


def test_every_list_answers_the_page_shape_with_paging_parameters(spec: dict[str, Any]) -> None:
    lists = 0
    for _, method, op in _operations(spec):
        success = next((r for code, r in op["responses"].items() if code.startswith("2")), {})
        schema = success.get("content", {}).get("application/json", {}).get("schema")
        if method != "get" or schema is None:
            continue
        resolved = _resolve(spec, schema)
        assert resolved.get("type") != "array", f"{op['operationId']} answers a bare array"
        if set(resolved.get("properties", {})) >= PAGE_FIELDS:
            lists += 1
            item = resolved["properties"]["items"]["items"]
            assert "$ref" in item, f"{op['operationId']}: the page names no item type ({item})"
            names = {p["name"] for p in op.get("parameters", [])}
            assert {"limit", "offset"} <= names, op["operationId"]
    assert lists >= 8  # orgs, members, invitations, sessions, audit, leads, activities, imports


def test_the_upload_and_the_export_say_what_they_send(spec: dict[str, Any]) -> None:
    by_id = {op["operationId"]: op for _, _, op in _operations(spec)}
    upload = by_id["importLeads"]
    accepted = upload["responses"]["202"]
    assert accepted["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/LeadImportResponse"}
    assert accepted["headers"]["Location"]["schema"]["type"] == "string"
    preview = upload["responses"]["200"]["content"]["application/json"]["schema"]
    assert preview == {"$ref": "#/components/schemas/ImportPreviewResponse"}
    assert spec["components"]["schemas"]["ImportForm"]["required"] == ["file"]
    assert "dryRun" in {p["name"] for p in upload["parameters"]}
    csv = by_id["exportLeads"]["responses"]["200"]["content"]
    assert list(csv) == ["text/csv"] and csv["text/csv"]["schema"] == {"type": "string"}


# --- the mechanism, on routes the app does not have --------------------------------------------


class WidgetBody(RequestBody):
    name: str


class WidgetsController(Controller):
    path = "/things/{thing_id:uuid}/widgets"
    security = [{"BearerToken": []}]

    @post("/", opt=problems(RATE_LIMITED, ProblemDoc(409, "a widget of that name exists")), sync_to_thread=False)
    def add_widget(self, thing_id: FromPath[UUID], data: JSONBody[WidgetBody], guard: NamedDependency[str]) -> None:
        return None

    @get("/", sync_to_thread=False)
    def list_widgets(self, thing_id: FromPath[UUID], limit: Limit = 20) -> list[str]:
        return []


@get("/open", security=[], sync_to_thread=False)
def open_probe() -> str:
    return "ok"


def _guard(tenant: NamedDependency[str]) -> str:
    return tenant


def _tenant() -> str:
    return "t"


def test_problem_documentation_is_derived_from_what_a_route_is() -> None:
    app = Litestar(
        [WidgetsController, open_probe],
        dependencies={"guard": Provide(_guard, sync_to_thread=False), "tenant": Provide(_tenant, sync_to_thread=False)},
        openapi_config=openapi_config(),
    )
    document_problems(app.routes, {"tenant": (FORBIDDEN, NOT_FOUND)})
    handlers = {h.handler_name: h for route in app.routes for h in getattr(route, "route_handlers", [])}
    add = derived_problems(handlers["add_widget"], {"tenant": (FORBIDDEN, NOT_FOUND)})
    # body -> 400/413/415/422; secured -> 401; path parameter -> 404; `tenant` used through
    # `guard` -> 403/404; a dependency -> 503; declared -> 409, 429.
    assert sorted(add) == [400, 401, 403, 404, 409, 413, 414, 415, 422, 429, 503]
    listed = derived_problems(handlers["list_widgets"])
    assert sorted(listed) == [400, 401, 404, 414, 422]
    assert sorted(derived_problems(handlers["open_probe"])) == [414, 422]
    document = refine_document(app.openapi_schema.to_schema())
    assert "/things/{thingId}/widgets" in document["paths"]
    responses = document["paths"]["/things/{thingId}/widgets"]["post"]["responses"]
    assert responses["409"]["content"][PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert responses["429"]["content"][PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/RetryLaterProblem"}


def test_every_schema_has_its_own_name(spec: dict[str, Any]) -> None:
    # Two structs of one name in different modules get module-path names (`x_adapters_http_...`),
    # which generators refuse as duplicates (openapi-python-client drops the operations using them).
    clashing = [name for name in spec["components"]["schemas"] if "_adapters_" in name]
    assert clashing == []
