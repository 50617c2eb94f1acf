// The calls of tests/e2e/sdk/test_python_sdk.py through the TypeScript client: register, verify,
// sign in, organisation, invitation, accept, leads (create, list with filters, pipeline), CSV
// import and export, and the error paths. Type-checked in the suite (tsc --noEmit --strict,
// tests/e2e/sdk/test_sdk_generation.py); hand-written, so when the document renames a parameter
// (`org_id` -> `orgId`) this file follows it.
import { createNexusCoreClient, type NexusCoreClient } from "../src/index";

export interface MailedTokens {
  verifyAnn: () => Promise<string>;
  verifyBen: () => Promise<string>;
  invitation: () => Promise<string>;
}

async function signIn(anon: NexusCoreClient, baseUrl: string, email: string, password: string) {
  const { data, error, response } = await anon.POST("/api/v1/auth/login", { body: { email, password } });
  if (!data) throw new Error(`login ${response.status}: ${JSON.stringify(error)}`);
  const accessToken: string = data.accessToken;
  return createNexusCoreClient(baseUrl, () => accessToken);
}

export async function firstDay(baseUrl: string, mail: MailedTokens): Promise<void> {
  const anon = createNexusCoreClient(baseUrl);
  const password = "correct horse battery staple";

  const registered = await anon.POST("/api/v1/auth/register", {
    body: { email: "ann@example.sg", password, fullName: "Ann Tan" },
  });
  if (registered.response.status === 409) throw new Error("email taken");
  await anon.POST("/api/v1/auth/register", { body: { email: "ben@example.sg", password, fullName: "Ben Lim" } });
  await anon.POST("/api/v1/auth/verify-email", { body: { token: await mail.verifyAnn() } });
  await anon.POST("/api/v1/auth/verify-email", { body: { token: await mail.verifyBen() } });

  const wrong = await anon.POST("/api/v1/auth/login", { body: { email: "ann@example.sg", password: "nope nope nope" } });
  if (wrong.response.status !== 401 || wrong.data) throw new Error("a wrong password signed in");

  const ann = await signIn(anon, baseUrl, "ann@example.sg", password);
  const me = await ann.GET("/api/v1/me");
  const name: string | undefined = me.data?.fullName;

  const org = await ann.POST("/api/v1/orgs", { body: { name: "Kopi Tiam Pte Ltd" } });
  if (!org.data) throw new Error(`create organisation ${org.response.status}`);
  const orgId: string = org.data.id;
  const tenant = { path: { orgId } };

  await ann.POST("/api/v1/orgs/{orgId}/invitations", { params: tenant, body: { email: "ben@example.sg", role: "member" } });
  const ben = await signIn(anon, baseUrl, "ben@example.sg", password);
  await ben.POST("/api/v1/invitations/accept", { body: { token: await mail.invitation() } });
  const members = await ann.GET("/api/v1/orgs/{orgId}/members", { params: tenant });

  const created = await ben.POST("/api/v1/orgs/{orgId}/leads", {
    params: tenant,
    body: { firstName: "Siti", email: "siti@teh.sg", tags: ["hot"], company: "Teh Co" },
  });
  if (!created.data) throw new Error(`create lead ${created.response.status}`);
  const leadId: string = created.data.id;
  const duplicate = await ben.POST("/api/v1/orgs/{orgId}/leads", {
    params: tenant,
    body: { firstName: "Siti", email: "SITI@teh.sg" },
  });
  if (duplicate.response.status !== 409) throw new Error("a duplicate lead was created");

  const hot = await ann.GET("/api/v1/orgs/{orgId}/leads", { params: { ...tenant, query: { tag: "hot", limit: 20 } } });
  const total: number | undefined = hot.data?.total;
  const firstNames: string[] = (hot.data?.items ?? []).map((lead) => lead.firstName);
  const tooMany = await ann.GET("/api/v1/orgs/{orgId}/leads", { params: { ...tenant, query: { limit: 1000 } } });
  if (tooMany.response.status !== 422) throw new Error("limit=1000 was accepted");
  const anonymousList = await anon.GET("/api/v1/orgs/{orgId}/leads", { params: tenant });
  if (anonymousList.response.status !== 401) throw new Error("an anonymous caller listed leads");

  const lead = { path: { orgId, leadId } };
  await ben.POST("/api/v1/orgs/{orgId}/leads/{leadId}/status", { params: lead, body: { status: "contacted" } });
  const qualified = await ben.POST("/api/v1/orgs/{orgId}/leads/{leadId}/status", {
    params: lead,
    body: { status: "qualified" },
  });
  const status: string | undefined = qualified.data?.status;
  const illegal = await ben.POST("/api/v1/orgs/{orgId}/leads/{leadId}/status", { params: lead, body: { status: "new" } });
  if (illegal.response.status !== 409) throw new Error("an illegal move was allowed");

  const csv = "First Name,Last Name,Email\r\nMei,Ong,mei@ong.sg\r\n";
  const asForm = (dryRun: boolean) => () => {
    const form = new FormData();
    form.append("file", new Blob([csv], { type: "text/csv" }), "leads.csv");
    form.append("dryRun", String(dryRun));
    return form;
  };
  const preview = await ann.POST("/api/v1/orgs/{orgId}/leads/imports", {
    params: tenant,
    body: { file: csv, dryRun: true },
    bodySerializer: asForm(true),
  });
  const job = await ann.POST("/api/v1/orgs/{orgId}/leads/imports", {
    params: tenant,
    body: { file: csv, dryRun: false },
    bodySerializer: asForm(false),
  });
  if (job.response.status !== 202 || !job.data || !("id" in job.data)) throw new Error("import not accepted");
  const importId: string = job.data.id;
  const progress = await ann.GET("/api/v1/orgs/{orgId}/leads/imports/{importId}", {
    params: { path: { orgId, importId } },
  });
  const importStatus: string | undefined = progress.data?.status;

  const exported = await ann.GET("/api/v1/orgs/{orgId}/leads/export", {
    params: { ...tenant, query: { tag: "hot" } },
    parseAs: "text",
  });
  const forbidden = await ben.GET("/api/v1/orgs/{orgId}/leads/export", { params: tenant, parseAs: "text" });
  if (forbidden.response.status !== 403) throw new Error("a member exported");

  console.log({ name, members: members.data, total, firstNames, status, preview: preview.data, importStatus });
  console.log(exported.data);
}
