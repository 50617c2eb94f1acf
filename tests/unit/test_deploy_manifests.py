"""Deployment files stay in step with the code.

Compose, Kubernetes and the Dockerfile name CLI commands, options, ports and settings as plain
strings; a rename in the code would otherwise surface only when a deploy fails. Every command
they start is resolved against the real click group, every option parsed by click itself.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from nexuscore.bootstrap.cli import main as cli
from nexuscore.platform import billing_settings as billing_settings_module
from nexuscore.platform import payment_settings as payment_settings_module
from nexuscore.platform import settings as settings_module

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
DOCKERFILE = DEPLOY / "Dockerfile"
NGINX_CONF = DEPLOY / "nginx" / "nginx.conf"
K8S_DIR = DEPLOY / "k8s"

APP_SERVICES = {"api": "serve", "worker": "worker", "scheduler": "scheduler", "migrate": "migrate"}
BACKING_SERVICES = ("postgres", "redis", "nginx")
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}
# Read by uvicorn itself, not by Settings.
NON_SETTINGS_ENV = {"FORWARDED_ALLOW_IPS"}


# ---------------------------------------------------------------- helpers


def check_cli_argv(argv: list[str]) -> click.Context:
    """Parse `nexuscore <command> [options]` with the real CLI; AssertionError when it would not start."""
    assert isinstance(argv, list), f"command must be a list (exec form), got {argv!r}"
    assert argv, "empty command"
    assert argv[0] == "nexuscore", f"{argv}: must start with the `nexuscore` CLI"
    assert len(argv) >= 2, f"{argv}: no subcommand"
    command: click.Command | None = cli.commands.get(argv[1])
    assert command is not None, f"{argv}: {argv[1]!r} is not a CLI command (have {sorted(cli.commands)})"
    assert not isinstance(command, click.Group), f"{argv}: {argv[1]!r} is a group, not a command"
    try:
        ctx: click.Context = command.make_context(argv[1], [str(a) for a in argv[2:]], resilient_parsing=False)
    except click.ClickException as exc:
        raise AssertionError(f"{argv}: {exc.format_message()}") from exc
    return ctx


def known_env_names() -> set[str]:
    """Environment variables Settings reads, taken from its source so a renamed one is noticed."""
    source = (
        inspect.getsource(settings_module)
        + inspect.getsource(payment_settings_module)
        + inspect.getsource(billing_settings_module)
    )
    return set(re.findall(r'env(?:\.get\(|, )"([A-Z][A-Z0-9_]+)"', source)) | NON_SETTINGS_ENV


def dockerfile_stages(text: str) -> list[list[tuple[str, str]]]:
    """Split a Dockerfile into stages of (INSTRUCTION, arguments), continuation lines joined."""
    logical: list[str] = []
    buffer = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        logical.append(buffer + line)
        buffer = ""
    stages: list[list[tuple[str, str]]] = []
    for line in logical:
        instruction, _, arguments = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((instruction.upper(), arguments.strip()))
    return stages


def final_stage() -> list[tuple[str, str]]:
    stages = dockerfile_stages(DOCKERFILE.read_text())
    assert len(stages) >= 2, "the Dockerfile should be multi-stage (builder + runtime)"
    return stages[-1]


def dockerfile_cmd() -> list[str]:
    cmds = [args for instruction, args in final_stage() if instruction == "CMD"]
    assert cmds, "the final stage has no CMD"
    argv = json.loads(cmds[-1])  # exec form: signals reach the process, no shell in between
    assert isinstance(argv, list)
    return argv


def dockerfile_uid() -> int:
    users = [args for instruction, args in final_stage() if instruction == "USER"]
    assert users, "the final stage has no USER: the container would run as root"
    user = users[-1].split(":", 1)[0]
    assert user.isdigit(), f"USER {user!r}: use a numeric uid so runAsNonRoot can verify it"
    return int(user)


def load_compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


def compose_argv(service: dict[str, Any]) -> list[str]:
    """What the container runs: `command` replaces the image CMD (the image has no ENTRYPOINT)."""
    command = service.get("command")
    if command is None:
        return dockerfile_cmd()
    assert isinstance(command, list), f"command must be a list, got {command!r}"
    return command


def k8s_documents() -> list[tuple[str, dict[str, Any]]]:
    docs: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(K8S_DIR.glob("*.y*ml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc is not None:
                assert isinstance(doc, dict), f"{path.name}: a document is not a mapping"
                docs.append((path.name, doc))
    return docs


def k8s_objects(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in k8s_documents() if doc.get("kind") == kind]


def k8s_object(kind: str, name: str) -> dict[str, Any]:
    found = [doc for doc in k8s_objects(kind) if doc["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    template: dict[str, Any] = spec["template"]["spec"]
    return template


def is_nexuscore_image(image: str) -> bool:
    repository = image.rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0]
    return repository == "nexuscore"


def nexuscore_containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for _, doc in k8s_documents():
        if doc.get("kind") not in WORKLOAD_KINDS:
            continue
        spec = pod_spec(doc)
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            if is_nexuscore_image(container["image"]):
                yield f"{doc['kind']}/{doc['metadata']['name']}/{container['name']}", container


def k8s_argv(container: dict[str, Any]) -> list[str]:
    """Kubernetes semantics: `command` replaces ENTRYPOINT, `args` replaces CMD."""
    if "command" in container:
        return [*container["command"], *container.get("args", [])]
    if "args" in container:
        return list(container["args"])
    return dockerfile_cmd()


# ---------------------------------------------------------------- the validator can fail


@pytest.mark.parametrize(
    "argv",
    [
        ["nexuscore", "serv"],  # renamed / misspelt command
        ["nexuscore", "serve", "--threads", "2"],  # unknown option
        ["nexuscore", "serve", "--port", "http"],  # wrong type
        ["nexuscore", "makemigrations"],  # missing required option
        ["nexuscore"],
        ["uvicorn", "nexuscore.bootstrap.app:create_app"],
        "nexuscore serve",  # shell form
    ],
)
def test_validator_rejects_commands_the_cli_would_refuse(argv: Any) -> None:
    with pytest.raises(AssertionError):
        check_cli_argv(argv)


def test_validator_accepts_a_real_command() -> None:
    ctx = check_cli_argv(["nexuscore", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"])
    assert ctx.params["port"] == 8000


def test_settings_env_names_are_found() -> None:
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ENVIRONMENT", "LOG_FORMAT", "PORT"} <= known_env_names()


# ---------------------------------------------------------------- Dockerfile


def test_dockerfile_final_stage_runs_as_non_root() -> None:
    assert dockerfile_uid() > 0
    users = [args for instruction, args in final_stage() if instruction == "USER"]
    assert users[-1].split(":", 1)[0] not in ("root", "0")


def test_dockerfile_cmd_is_a_real_cli_command() -> None:
    ctx = check_cli_argv(dockerfile_cmd())
    assert ctx.info_name == "serve"
    assert ctx.params["host"] == "0.0.0.0"
    # No ENTRYPOINT: compose `command` and k8s `command` then replace the whole argv.
    assert not [args for instruction, args in final_stage() if instruction == "ENTRYPOINT"]


def test_dockerfile_shape() -> None:
    stages = dockerfile_stages(DOCKERFILE.read_text())
    builder = " ".join(args for stage in stages[:-1] for instruction, args in stage if instruction == "RUN")
    assert "uv sync --frozen --no-dev" in builder
    runtime = final_stage()
    healthchecks = [args for instruction, args in runtime if instruction == "HEALTHCHECK"]
    assert healthchecks
    assert "/health/live" in healthchecks[-1]
    assert "urllib" in healthchecks[-1]
    assert "curl" not in healthchecks[-1]
    copied = " ".join(args for instruction, args in runtime if instruction == "COPY")
    for path in ("/app/.venv", "src", "alembic", "alembic.ini"):
        assert path in copied, f"runtime stage does not copy {path}"


# ---------------------------------------------------------------- docker compose


def test_compose_has_every_service() -> None:
    services = load_compose()["services"]
    assert set(APP_SERVICES) | set(BACKING_SERVICES) <= set(services)


@pytest.mark.parametrize(("service", "subcommand"), sorted(APP_SERVICES.items()))
def test_compose_app_service_runs_its_cli_command(service: str, subcommand: str) -> None:
    command = load_compose()["services"][service].get("command")
    assert isinstance(command, list), f"{service}: command must be a list"
    ctx = check_cli_argv(command)
    assert ctx.info_name == subcommand


def test_compose_every_nexuscore_command_is_real() -> None:
    checked = 0
    for name, service in load_compose()["services"].items():
        argv = compose_argv(service) if "build" in service else service.get("command")
        if isinstance(argv, list) and argv and argv[0] == "nexuscore":
            check_cli_argv(argv)
            checked += 1
        else:
            assert name not in APP_SERVICES, f"{name}: does not run the nexuscore CLI"
    assert checked >= len(APP_SERVICES)


def test_compose_migrate_is_one_shot_and_gates_the_app() -> None:
    services = load_compose()["services"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["command"][:2] == ["nexuscore", "migrate"]
    for name in ("api", "worker", "scheduler"):
        depends = services[name].get("depends_on")
        assert isinstance(depends, dict), f"{name}: depends_on needs conditions"
        assert depends.get("migrate", {}).get("condition") == "service_completed_successfully", name


def test_compose_production_environment() -> None:
    services = load_compose()["services"]
    known = known_env_names()
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert isinstance(env, dict), f"{name}: environment as a mapping"
        assert env["ENVIRONMENT"] == "production"
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["REDIS_URL"].startswith("redis://")
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "SECRET_KEY must be required, never defaulted"
        assert env["LOG_FORMAT"] == "json"
        assert set(env) <= known, f"{name}: unknown variables {sorted(set(env) - known)}"


def test_compose_backing_services() -> None:
    services = load_compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["nginx"]["image"].startswith("nginx:1.27")
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"], f"{name}: no healthcheck"
    for volume in services["nginx"]["volumes"]:
        source = volume.split(":", 1)[0]
        if source.startswith("."):
            assert (COMPOSE_FILE.parent / source).resolve().exists(), f"nginx mounts missing {source}"


# ---------------------------------------------------------------- nginx


def nginx_text() -> str:
    return "\n".join(line.split("#", 1)[0] for line in NGINX_CONF.read_text().splitlines())


def test_nginx_upstream_points_at_the_api_service_port() -> None:
    text = nginx_text()
    upstreams = dict(re.findall(r"upstream\s+(\S+)\s*\{([^}]*)\}", text))
    assert upstreams, "no upstream block"
    api_argv = load_compose()["services"]["api"]["command"]
    api_port = check_cli_argv(api_argv).params["port"]
    for name, body in upstreams.items():
        servers = re.findall(r"^\s*server\s+([^\s;]+)", body, flags=re.MULTILINE)
        assert servers, f"upstream {name} has no server"
        for server in servers:
            host, _, port = server.rpartition(":")
            assert host == "api", f"upstream {name} points at {host!r}, not the api service"
            assert int(port) == api_port, f"upstream {name} port {port} != api --port {api_port}"
        assert f"proxy_pass http://{name}" in text, f"upstream {name} is never used"


def test_nginx_proxy_headers_and_limits() -> None:
    text = nginx_text()
    assert re.search(r"proxy_set_header\s+X-Request-ID\s+\$\w+", text)
    assert "$request_id" in text  # generated when the client sends none
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert re.search(rf"proxy_set_header\s+{header}\s", text), header
    assert re.search(r"client_max_body_size\s+\d+[kKmM]?;", text)
    assert re.search(r"gzip_types[^;]*application/json", text)
    assert re.search(r"location\s+=\s+/health/live\s*\{[^}]*proxy_pass", text)


# ---------------------------------------------------------------- Kubernetes


def test_k8s_documents_are_valid_yaml_objects() -> None:
    docs = k8s_documents()
    assert docs
    for filename, doc in docs:
        assert doc.get("apiVersion"), filename
        assert doc.get("kind"), filename
        if doc["kind"] != "Kustomization":
            assert doc.get("metadata", {}).get("name"), filename
            assert "namespace" not in doc["metadata"], f"{filename}: manifests are namespace-less"


def test_k8s_every_nexuscore_container_runs_a_real_cli_command() -> None:
    used = set()
    for where, container in nexuscore_containers():
        try:
            ctx = check_cli_argv(k8s_argv(container))
        except AssertionError as exc:
            raise AssertionError(f"{where}: {exc}") from exc
        used.add(ctx.info_name)
    assert set(APP_SERVICES.values()) <= used, f"missing processes: {set(APP_SERVICES.values()) - used}"


def test_k8s_pods_run_as_the_image_user_with_a_read_only_root() -> None:
    uid = dockerfile_uid()
    for _, doc in k8s_documents():
        if doc.get("kind") not in WORKLOAD_KINDS:
            continue
        spec = pod_spec(doc)
        name = doc["metadata"]["name"]
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] == uid, f"{name}: runAsUser != Dockerfile USER {uid}"
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for container in spec["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            assert "/app/var" in mounts, f"{name}: /app/var must be writable (emptyDir)"
            assert "emptyDir" in volumes[mounts["/app/var"]], name


def test_k8s_api_deployment_probes_ports_and_service() -> None:
    deployment = k8s_object("Deployment", "nexuscore-api")
    assert deployment["spec"]["replicas"] == 2
    (container,) = pod_spec(deployment)["containers"]
    port = check_cli_argv(k8s_argv(container)).params["port"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert port in ports.values(), f"serve --port {port} is not a containerPort"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    for probe in ("livenessProbe", "readinessProbe"):
        probe_port = container[probe]["httpGet"]["port"]
        assert ports.get(probe_port, probe_port) == port, probe
    assert container["resources"]["requests"], "api needs resource requests for the HPA"

    service = k8s_object("Service", "nexuscore-api")
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    for service_port in service["spec"]["ports"]:
        target = service_port["targetPort"]
        assert ports.get(target, target) == port


def test_k8s_scheduler_is_a_singleton() -> None:
    scheduler = k8s_object("Deployment", "nexuscore-scheduler")
    assert scheduler["spec"]["replicas"] == 1
    assert scheduler["spec"]["strategy"]["type"] == "Recreate"
    (container,) = pod_spec(scheduler)["containers"]
    assert check_cli_argv(k8s_argv(container)).info_name == "scheduler"


def test_k8s_migrate_job_runs_once() -> None:
    (job,) = k8s_objects("Job")
    spec = pod_spec(job)
    assert spec["restartPolicy"] == "Never"
    assert job["spec"].get("parallelism", 1) == 1
    (container,) = spec["containers"]
    assert check_cli_argv(k8s_argv(container)).info_name == "migrate"


def test_k8s_hpa_targets_the_api_deployment() -> None:
    (hpa,) = k8s_objects("HorizontalPodAutoscaler")
    target = hpa["spec"]["scaleTargetRef"]
    assert target["kind"] == "Deployment"
    assert target["name"] == "nexuscore-api"
    k8s_object("Deployment", target["name"])
    assert hpa["spec"]["minReplicas"] >= 2


def test_k8s_config_and_secret_keys_are_settings() -> None:
    known = known_env_names()
    for kind, field in (("ConfigMap", "data"), ("Secret", "stringData")):
        objects = k8s_objects(kind)
        assert objects, f"no {kind}"
        for obj in objects:
            unknown = set(obj.get(field, {})) - known
            assert not unknown, f"{kind} {obj['metadata']['name']}: unknown variables {sorted(unknown)}"


def test_k8s_secret_is_a_template_without_real_values() -> None:
    for secret in k8s_objects("Secret"):
        assert "data" not in secret, "the template uses stringData placeholders only"
        for key, value in secret["stringData"].items():
            assert "CHANGE_ME" in value, f"Secret {secret['metadata']['name']}.{key} looks like a real value"


def test_k8s_env_references_exist() -> None:
    names = {(kind, obj["metadata"]["name"]) for kind in ("ConfigMap", "Secret") for obj in k8s_objects(kind)}
    for where, container in nexuscore_containers():
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                assert ("ConfigMap", source["configMapRef"]["name"]) in names, where
            if "secretRef" in source:
                assert ("Secret", source["secretRef"]["name"]) in names, where
        for var in container.get("env", []):
            ref = var.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                secret = k8s_object("Secret", ref["name"])
                assert ref["key"] in secret["stringData"], f"{where}: {ref['name']}.{ref['key']} missing"


def test_kustomization_lists_existing_files() -> None:
    kustomization = yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (K8S_DIR / resource).is_file(), resource


def _expand_compose_value(value: str) -> str:
    """Resolve ${VAR:?msg}, ${VAR:-default} and ${VAR} the way compose would with a filled .env."""

    def repl(match: re.Match[str]) -> str:  # noqa: RUF100
        name, op, rest = match.group(1), match.group(2), match.group(3)
        if op == ":-":
            return rest
        return {
            "SECRET_KEY": "s" * 48,
            "POSTGRES_PASSWORD": "pw",
            "APP_BASE_URL": "https://app.example.sg",
            "SMTP_HOST": "smtp.example.sg",
            "SUPPLIER_NAME": "Example Pte. Ltd.",
            "SUPPLIER_ADDRESS": "1 Example Street | Singapore 018989",
            "SUPPLIER_UEN": "201912345A",
            "SUPPLIER_GST_REG_NO": "201912345A",
        }.get(name, "x")

    return re.sub(r"\$\{(\w+)(:[?-])?([^}]*)\}", repl, value)


def test_compose_production_environment_passes_the_start_up_checks(tmp_path: Path) -> None:
    """The settings the compose file gives the app processes are accepted by load_settings."""
    from nexuscore.platform.settings import load_settings

    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    for name in ("api", "worker", "scheduler", "migrate"):
        env = {k: _expand_compose_value(str(v)) for k, v in compose["services"][name]["environment"].items()}
        env["NEXUSCORE_VAR_DIR"] = str(tmp_path)
        settings = load_settings(env, dotenv=None)
        assert settings.is_production and settings.mail_backend == "smtp", name


def test_k8s_configmap_and_secret_template_pass_the_start_up_checks(tmp_path: Path) -> None:
    from nexuscore.platform.settings import load_settings

    config = k8s_object("ConfigMap", "nexuscore-config")["data"]
    secret = next(
        d
        for d in yaml.safe_load_all((DEPLOY / "k8s" / "secret.example.yaml").read_text())
        if d and d["metadata"]["name"] == "nexuscore-secrets"
    )["stringData"]
    env = {**{k: str(v) for k, v in config.items()}, **secret, "NEXUSCORE_VAR_DIR": str(tmp_path)}
    assert load_settings(env, dotenv=None).is_production
