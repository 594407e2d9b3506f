import { DurableObject } from "cloudflare:workers";
import type { AppEnv } from "../src/env";

export class RunObject extends DurableObject<AppEnv> {}
