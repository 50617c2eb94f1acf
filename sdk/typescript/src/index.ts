// The NexusCore API client: openapi-fetch over the types openapi-typescript generated from
// ../openapi.json into ./schema.d.ts (`just sdk`; never edit schema.d.ts by hand).
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema";

export type { components, operations, paths };
export type Schemas = components["schemas"];
export type NexusCoreClient = Client<paths>;

/** A client for `baseUrl`; with `accessToken()` every request carries `Authorization: Bearer ...`. */
export function createNexusCoreClient(baseUrl: string, accessToken?: () => string | undefined): NexusCoreClient {
  const client = createClient<paths>({ baseUrl });
  if (accessToken) {
    const bearer: Middleware = {
      onRequest({ request }) {
        const token = accessToken();
        if (token) request.headers.set("Authorization", `Bearer ${token}`);
        return request;
      },
    };
    client.use(bearer);
  }
  return client;
}
