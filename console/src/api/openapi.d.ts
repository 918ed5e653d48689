/**
 * Generated from the API's OpenAPI document by scripts/openapi-types.ts (npm run openapi:types).
 * @generated Do not edit: npm test fails when this file is stale.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description up */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks?: {
                                [key: string]: string;
                            };
                            /** @enum {string} */
                            status: "ok" | "unavailable";
                        };
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/r/{usercode}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A promotion-link click by the logged-in customer (R-ATTR-1), asserted by the identity gateway (X-Customer-Assertion); without a valid assertion nobody is associated */
        get: {
            parameters: {
                query?: {
                    /** @description the front end may supply one; otherwise generated */
                    clickId?: string;
                };
                header?: never;
                path: {
                    usercode: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the click was recorded in the customer’s association workflow */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            associationId: string | null;
                            clickId: string;
                            customerId: string;
                            note: string;
                            occurredAt: string;
                            /**
                             * @description what the click did to the associations (reordered: a late click placed in click-time order)
                             * @enum {string}
                             */
                            outcome: "created" | "extended" | "switched" | "reopened" | "refused" | "reordered" | "late_click_ignored" | "duplicate";
                            /** @constant */
                            recorded: true;
                            refused: {
                                code: string;
                                reason: string;
                            } | null;
                            usercode: string;
                            workflowId: string;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not_logged_in (no assertion) or invalid_customer_assertion (forged, malformed or expired): no click is recorded */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unknown usercode */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description no_rule_set: no rule set is in force now */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Temporal and Postgres are reachable */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description ready */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks?: {
                                [key: string]: string;
                            };
                            /** @enum {string} */
                            status: "ok" | "unavailable";
                        };
                    };
                };
                /** @description not ready */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks?: {
                                [key: string]: string;
                            };
                            /** @enum {string} */
                            status: "ok" | "unavailable";
                        };
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join the program (R-AMB-1): called by the identity system, which knows real-name verification; returns the API token once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        accountId: string;
                        displayName: string;
                        identity?: {
                            email?: string | null;
                            idDocument?: string | null;
                            linkedAccounts?: string[];
                            phone?: string | null;
                        };
                        /**
                         * Format: date-time
                         * @description defaults to now
                         */
                        joinedAt?: string;
                        /** @enum {string} */
                        kind: "individual" | "enterprise";
                        /**
                         * @description R-AMB-3 entry level 弟子 = L1
                         * @default L1
                         * @enum {string}
                         */
                        level?: "L1" | "L2" | "L3" | "L4" | "L5";
                        realNameVerified: boolean;
                    };
                };
            };
            responses: {
                /** @description joined; the token is shown only in this response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ambassador: {
                                accountId: string;
                                displayName: string;
                                id: string;
                                joinedAt: string;
                                /** @enum {string} */
                                kind: "individual" | "enterprise";
                                /** @enum {string} */
                                level: "L1" | "L2" | "L3" | "L4" | "L5";
                                levelHistory: {
                                    effectiveAt: string;
                                    /** @enum {string} */
                                    level: "L1" | "L2" | "L3" | "L4" | "L5";
                                    reason: string | null;
                                    setBy: string;
                                }[];
                                link: string;
                                realNameVerified: boolean;
                                ruleSetVersion: string;
                                usercode: string;
                            };
                            token: string;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description this account has already joined */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not real-name verified, or enterprises may not join under the rule set in force */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/{id}/identity-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report the ambassador's identity as of an instant (hashed; each change kept with its instant for R-SAME-2) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description defaults to now; not in the future
                         */
                        changedAt?: string;
                        email?: string | null;
                        idDocument?: string | null;
                        linkedAccounts?: string[];
                        phone?: string | null;
                    };
                };
            };
            responses: {
                /** @description recorded; the orders it may void settle at once */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: string[];
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not_found: nothing of that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description changed_at_out_of_bounds: changedAt in the future */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/{id}/real-name": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** The identity system withdraws or restores real-name verification (R-AMB-1); unverified ambassadors associate no one */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        realNameVerified: boolean;
                    };
                };
            };
            responses: {
                /** @description updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            realNameVerified: boolean;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not_found: nothing of that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling ambassador: level (R-AMB-3) with its history, usercode and link (R-AMB-4) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description profile */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accountId: string;
                            displayName: string;
                            id: string;
                            joinedAt: string;
                            /** @enum {string} */
                            kind: "individual" | "enterprise";
                            /** @enum {string} */
                            level: "L1" | "L2" | "L3" | "L4" | "L5";
                            levelHistory: {
                                effectiveAt: string;
                                /** @enum {string} */
                                level: "L1" | "L2" | "L3" | "L4" | "L5";
                                reason: string | null;
                                setBy: string;
                            }[];
                            link: string;
                            realNameVerified: boolean;
                            ruleSetVersion: string;
                            usercode: string;
                        };
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/balance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ambassador's yunqi balances */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description balances */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ambassadorId: string;
                            /** @description credited and withdrawable; never below zero here (a clawback beyond it is the debt) */
                            available: {
                                /** @description CNY, decimal string */
                                cny: string;
                                yunqi: number;
                            };
                            /** @constant */
                            currency: "CNY";
                            /** @description what a clawback took beyond what was available (R-REV-2): later credits repay it first */
                            debt: {
                                /** @description CNY, decimal string */
                                cny: string;
                                yunqi: number;
                            };
                            /** @description current calendar month, UTC+8 */
                            month: string;
                            /** @description net paid out by completed withdrawals, all time */
                            paidOut: {
                                /** @description CNY, decimal string */
                                cny: string;
                                yunqi: number;
                            };
                            /** @description granted, not yet credited (review and crediting periods) */
                            pending: {
                                /** @description CNY, decimal string */
                                cny: string;
                                yunqi: number;
                            };
                            /** @description held by withdrawals in flight (gross) */
                            reserved: {
                                /** @description CNY, decimal string */
                                cny: string;
                                yunqi: number;
                            };
                            /** @description tax withheld on them and kept (R-WD-4: the tax on the month’s total; what a failed withdrawal left over-withheld was refunded) */
                            taxWithheldThisMonth: {
                                /** @description CNY, decimal string */
                                cny: string;
                                yunqi: number;
                            };
                            /** @description gross of this month’s withdrawals that did not fail */
                            withdrawnThisMonth: {
                                /** @description CNY, decimal string */
                                cny: string;
                                yunqi: number;
                            };
                        };
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling ambassador's associations (关联), newest first, paginated; never another ambassador's */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                associationId: string;
                                customerId: string;
                                endedAt: string | null;
                                endsAt: string;
                                startedAt: string;
                                /** @enum {string} */
                                status: "active" | "expired" | "switched";
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ambassador's journal entries, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description one page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                explanation: {
                                    [key: string]: unknown;
                                };
                                id: string;
                                kind: string;
                                link: {
                                    installment: number | null;
                                    orderId: string;
                                    /** @constant */
                                    type: "order";
                                } | {
                                    /** @constant */
                                    type: "withdrawal";
                                    withdrawalId: string;
                                } | {
                                    /** @constant */
                                    type: "tax";
                                    withdrawalId: string;
                                } | {
                                    /** @constant */
                                    type: "none";
                                };
                                occurredAt: string;
                                postings: {
                                    account: string;
                                    /** @description CNY, decimal string */
                                    amount: string;
                                    amountYunqi: number;
                                }[];
                                reversesEntry: string | null;
                                ruleSetVersion: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The promotion link carrying the usercode (R-AMB-4) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description link */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            parameter: "usercode";
                            url: string;
                            usercode: string;
                        };
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ambassador's attributed orders and their settlement state, newest first. */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description a page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                ambassadorId: string | null;
                                /** @description what was judged at placement: attribution, customer class, purchase kind, reward */
                                assessment: unknown;
                                associationId: string | null;
                                /** @description credited earlier and taken back (R-REV-2); shown as a debt while available is below zero */
                                clawedBack: {
                                    cny: string;
                                    yunqi: number;
                                };
                                credited: {
                                    cny: string;
                                    yunqi: number;
                                };
                                customerId: string;
                                /** @description the commission: rule-set version, level, rate, the caps and the room each left */
                                explanation: {
                                    cappedBaseYunqi: number;
                                    caps: {
                                        /** @description this cap reduced the amount */
                                        bound: boolean;
                                        /** @enum {string} */
                                        cap: "perOrderPaid" | "perCustomerPaid" | "perCustomerReward";
                                        /** @description null: no such cap at this level */
                                        limitYunqi: number | null;
                                        /** @description room left before this order; null: unlimited */
                                        roomBeforeYunqi: number | null;
                                        /** @enum {string} */
                                        rule: "R-ORD-6" | "R-ORD-7";
                                    }[];
                                    /** @enum {string} */
                                    capScope: "association" | "order";
                                    /** @enum {string} */
                                    kind: "first_purchase" | "later_purchase";
                                    /** @enum {string} */
                                    level: "L1" | "L2" | "L3" | "L4" | "L5";
                                    paidYunqi: number;
                                    /** @enum {string} */
                                    productCategory: "core" | "strategic" | "none";
                                    rate: string;
                                    /** @enum {string} */
                                    rateSource: "strategicRate" | "firstPurchaseRate" | "laterPurchaseRate";
                                    rewardYunqi: number;
                                    /** @constant */
                                    rounding: "ROUND_DOWN";
                                    ruleSetVersion: string;
                                    /** @description one English sentence */
                                    summary: string;
                                    uncappedRewardYunqi: number;
                                } | null;
                                failure: {
                                    at: string;
                                    error: string;
                                } | null;
                                installments: {
                                    amount: {
                                        cny: string;
                                        yunqi: number;
                                    };
                                    credited: boolean;
                                    dueAt: string;
                                    n: number;
                                    /** @enum {string} */
                                    status: "due" | "credited" | "voided";
                                }[];
                                nextDueAt: string | null;
                                orderId: string;
                                paid: {
                                    cny: string;
                                    yunqi: number;
                                };
                                placedAt: string;
                                reasonCode: ("NO_ASSOCIATION" | "NOT_ASSOCIATED_AT_PLACEMENT" | "SAME_PERSON" | "PAYG_ORDER" | "NON_REBATE_PRODUCT" | "STRATEGIC_NOT_IN_RULESET" | "EXCLUDED_CHANNEL" | "OLD_CUSTOMER" | "DORMANT_NOT_IN_RULESET" | "RENEWAL_NOT_COUNTED" | "CAP_EXHAUSTED" | "REFUND_IN_REVIEW" | "FULL_REFUND" | "REFUNDED_TO_ZERO" | "CHEATING" | "IDENTITY_CHANGED" | "NO_RULE_SET" | "ASSESSMENT_FAILED") | null;
                                refunded: {
                                    cny: string;
                                    yunqi: number;
                                };
                                reviewEndsAt: string | null;
                                reward: {
                                    cny: string;
                                    yunqi: number;
                                };
                                ruleSetVersion: string | null;
                                /** @enum {string} */
                                state: "received" | "not_attributed" | "ineligible" | "zero_reward" | "in_review" | "crediting" | "completed" | "voided" | "refunded" | "invalidated" | "failed";
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/orders/{orderId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the ambassador's orders: why this reward (rule set, rate, caps), the installments, and the timeline's ambassador-safe lines */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    orderId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the order */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assessment: {
                                customerReason: string | null;
                                customerType: ("new" | "dormant" | "old") | null;
                                level: ("L1" | "L2" | "L3" | "L4" | "L5") | null;
                                purchaseKind: ("first_purchase" | "later_purchase") | null;
                            } | null;
                            clawedBack: {
                                cny: string;
                                yunqi: number;
                            };
                            credited: {
                                cny: string;
                                yunqi: number;
                            };
                            customerId: string;
                            explanation: {
                                cappedBaseYunqi: number;
                                caps: {
                                    /** @description this cap reduced the amount */
                                    bound: boolean;
                                    /** @enum {string} */
                                    cap: "perOrderPaid" | "perCustomerPaid" | "perCustomerReward";
                                    /** @description null: no such cap at this level */
                                    limitYunqi: number | null;
                                    /** @description room left before this order; null: unlimited */
                                    roomBeforeYunqi: number | null;
                                    /** @enum {string} */
                                    rule: "R-ORD-6" | "R-ORD-7";
                                }[];
                                /** @enum {string} */
                                capScope: "association" | "order";
                                /** @enum {string} */
                                kind: "first_purchase" | "later_purchase";
                                /** @enum {string} */
                                level: "L1" | "L2" | "L3" | "L4" | "L5";
                                paidYunqi: number;
                                /** @enum {string} */
                                productCategory: "core" | "strategic" | "none";
                                rate: string;
                                /** @enum {string} */
                                rateSource: "strategicRate" | "firstPurchaseRate" | "laterPurchaseRate";
                                rewardYunqi: number;
                                /** @constant */
                                rounding: "ROUND_DOWN";
                                ruleSetVersion: string;
                                /** @description one English sentence */
                                summary: string;
                                uncappedRewardYunqi: number;
                            } | null;
                            installments: {
                                amount: {
                                    cny: string;
                                    yunqi: number;
                                };
                                credited: boolean;
                                dueAt: string;
                                n: number;
                                /** @enum {string} */
                                status: "due" | "credited" | "voided";
                            }[];
                            nextDueAt: string | null;
                            orderId: string;
                            /** @enum {string} */
                            orderType: "new" | "upgrade" | "renewal";
                            paid: {
                                cny: string;
                                yunqi: number;
                            };
                            placedAt: string;
                            /** @enum {string} */
                            productCategory: "core" | "strategic" | "none";
                            productCode: string;
                            reasonCode: ("NO_ASSOCIATION" | "NOT_ASSOCIATED_AT_PLACEMENT" | "SAME_PERSON" | "PAYG_ORDER" | "NON_REBATE_PRODUCT" | "STRATEGIC_NOT_IN_RULESET" | "EXCLUDED_CHANNEL" | "OLD_CUSTOMER" | "DORMANT_NOT_IN_RULESET" | "RENEWAL_NOT_COUNTED" | "CAP_EXHAUSTED" | "REFUND_IN_REVIEW" | "FULL_REFUND" | "REFUNDED_TO_ZERO" | "CHEATING" | "IDENTITY_CHANGED" | "NO_RULE_SET" | "ASSESSMENT_FAILED") | null;
                            refunded: {
                                cny: string;
                                yunqi: number;
                            };
                            reviewEndsAt: string | null;
                            reward: {
                                cny: string;
                                yunqi: number;
                            };
                            ruleSetVersion: string | null;
                            /** @enum {string} */
                            state: "received" | "not_attributed" | "ineligible" | "zero_reward" | "in_review" | "crediting" | "completed" | "voided" | "refunded" | "invalidated" | "failed";
                            timeline: {
                                at: string;
                                /** @description amounts in yunqi, reason codes, the installment; never free text */
                                detail: {
                                    [key: string]: string | number | boolean | null;
                                };
                                /** @description placed, attributed, commission, review_started, review_passed, credited, completed, refund, finding, voided, ineligible, zero_reward, reassessed, ... */
                                kind: string;
                            }[];
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description no such order of yours */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/statements/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The month's statement (UTC+8 calendar month) as CSV: each journal entry with the movement on pending, available, reserved, paid out and the tax withheld, in CNY */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description YYYY-MM, UTC+8 */
                    month: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/csv; one header line, then one line per entry, oldest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not_found: nothing of that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/withdrawals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ambassador's withdrawals, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description one page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @constant */
                                currency: "CNY";
                                failedAt: string | null;
                                failureReason: string | null;
                                /** @description the amount requested, CNY */
                                gross: string;
                                grossYunqi: number;
                                id: string;
                                lastPayoutError: string | null;
                                /** @description paid to the ambassador, CNY */
                                net: string;
                                netYunqi: number;
                                /** @description the provider paid after the withdrawal had been released; the payout was taken back from available */
                                paidAfterReleaseAt: string | null;
                                paidAt: string | null;
                                payoutAttempts: number;
                                providerRef: string | null;
                                requestedAt: string;
                                ruleSetVersion: string;
                                /** @enum {string} */
                                status: "reserved" | "processing" | "paid" | "failed";
                                /** @description tax withheld (R-WD-4), CNY */
                                tax: string;
                                taxExplanation: {
                                    bracket: {
                                        n: number;
                                        /** @description CNY, decimal string */
                                        quickDeduction: string;
                                        rate: string;
                                    };
                                    /** @description CNY, decimal string */
                                    monthGross: string;
                                    /** @description CNY, decimal string */
                                    monthGrossBefore: string;
                                    /** @description CNY, decimal string */
                                    monthTax: string;
                                    /** @constant */
                                    rule: "R-WD-4";
                                    table: string;
                                    /** @description CNY, decimal string */
                                    taxable: string;
                                    /** @description CNY, decimal string */
                                    taxWithheldBefore: string;
                                };
                                /** @description tax that stays withheld: tax − taxRefunded, CNY */
                                taxKept: string;
                                taxKeptYunqi: number;
                                /** @description UTC+8 calendar month whose withdrawals are one income (R-WD-4) */
                                taxMonth: string;
                                /** @description of it, returned when another withdrawal of the month failed (R-WD-4), CNY */
                                taxRefunded: string;
                                taxRefundedYunqi: number;
                                taxYunqi: number;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Request a withdrawal of available yunqi (tax withheld, R-WD-4); paid out by a workflow */
        post: {
            parameters: {
                query?: never;
                header: {
                    /** @description Same key and body: the same answer; same key and another body: 422 idempotency_key_reused */
                    "idempotency-key": string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        amount: string;
                    };
                };
            };
            responses: {
                /** @description reserved; the payout runs in the background */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            currency: "CNY";
                            failedAt: string | null;
                            failureReason: string | null;
                            /** @description the amount requested, CNY */
                            gross: string;
                            grossYunqi: number;
                            id: string;
                            lastPayoutError: string | null;
                            /** @description paid to the ambassador, CNY */
                            net: string;
                            netYunqi: number;
                            /** @description the provider paid after the withdrawal had been released; the payout was taken back from available */
                            paidAfterReleaseAt: string | null;
                            paidAt: string | null;
                            payoutAttempts: number;
                            providerRef: string | null;
                            requestedAt: string;
                            ruleSetVersion: string;
                            /** @enum {string} */
                            status: "reserved" | "processing" | "paid" | "failed";
                            /** @description tax withheld (R-WD-4), CNY */
                            tax: string;
                            taxExplanation: {
                                bracket: {
                                    n: number;
                                    /** @description CNY, decimal string */
                                    quickDeduction: string;
                                    rate: string;
                                };
                                /** @description CNY, decimal string */
                                monthGross: string;
                                /** @description CNY, decimal string */
                                monthGrossBefore: string;
                                /** @description CNY, decimal string */
                                monthTax: string;
                                /** @constant */
                                rule: "R-WD-4";
                                table: string;
                                /** @description CNY, decimal string */
                                taxable: string;
                                /** @description CNY, decimal string */
                                taxWithheldBefore: string;
                            };
                            /** @description tax that stays withheld: tax − taxRefunded, CNY */
                            taxKept: string;
                            taxKeptYunqi: number;
                            /** @description UTC+8 calendar month whose withdrawals are one income (R-WD-4) */
                            taxMonth: string;
                            /** @description of it, returned when another withdrawal of the month failed (R-WD-4), CNY */
                            taxRefunded: string;
                            taxRefundedYunqi: number;
                            taxYunqi: number;
                        };
                    };
                };
                /** @description validation failed (details: field paths) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description refused: no_completed_valid_order (R-WD-1), above_withdrawal_max (R-WD-3, with a suggested split), enterprise_cannot_withdraw (R-AMB-2), insufficient_available; or idempotency_key_reused */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/withdrawals/{withdrawalId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One withdrawal of the ambassador */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    withdrawalId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the withdrawal */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            currency: "CNY";
                            failedAt: string | null;
                            failureReason: string | null;
                            /** @description the amount requested, CNY */
                            gross: string;
                            grossYunqi: number;
                            id: string;
                            lastPayoutError: string | null;
                            /** @description paid to the ambassador, CNY */
                            net: string;
                            netYunqi: number;
                            /** @description the provider paid after the withdrawal had been released; the payout was taken back from available */
                            paidAfterReleaseAt: string | null;
                            paidAt: string | null;
                            payoutAttempts: number;
                            providerRef: string | null;
                            requestedAt: string;
                            ruleSetVersion: string;
                            /** @enum {string} */
                            status: "reserved" | "processing" | "paid" | "failed";
                            /** @description tax withheld (R-WD-4), CNY */
                            tax: string;
                            taxExplanation: {
                                bracket: {
                                    n: number;
                                    /** @description CNY, decimal string */
                                    quickDeduction: string;
                                    rate: string;
                                };
                                /** @description CNY, decimal string */
                                monthGross: string;
                                /** @description CNY, decimal string */
                                monthGrossBefore: string;
                                /** @description CNY, decimal string */
                                monthTax: string;
                                /** @constant */
                                rule: "R-WD-4";
                                table: string;
                                /** @description CNY, decimal string */
                                taxable: string;
                                /** @description CNY, decimal string */
                                taxWithheldBefore: string;
                            };
                            /** @description tax that stays withheld: tax − taxRefunded, CNY */
                            taxKept: string;
                            taxKeptYunqi: number;
                            /** @description UTC+8 calendar month whose withdrawals are one income (R-WD-4) */
                            taxMonth: string;
                            /** @description of it, returned when another withdrawal of the month failed (R-WD-4), CNY */
                            taxRefunded: string;
                            taxRefundedYunqi: number;
                            taxYunqi: number;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description no such withdrawal of yours */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ambassadors/me/withdrawals/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Preview a withdrawal: gross, tax and net now, and how the month gave that tax (R-WD-4); reserves nothing */
        get: {
            parameters: {
                query: {
                    /** @description CNY, decimal string */
                    amount: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the preview */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            available: {
                                cny: string;
                                yunqi: number;
                            };
                            explanation: {
                                bracket: {
                                    n: number;
                                    quickDeduction: {
                                        cny: string;
                                        yunqi: number;
                                    };
                                    rate: string;
                                };
                                highIncomeDeductionRate: string;
                                lowIncomeCeiling: {
                                    cny: string;
                                    yunqi: number;
                                };
                                lowIncomeDeduction: {
                                    cny: string;
                                    yunqi: number;
                                };
                                /** @description the month as one income, this withdrawal included */
                                monthGross: {
                                    cny: string;
                                    yunqi: number;
                                };
                                /** @description this month's earlier withdrawals that did not fail */
                                monthGrossBefore: {
                                    cny: string;
                                    yunqi: number;
                                };
                                /** @description tax on the month: taxable × rate − quick deduction, rounded half-up */
                                monthTax: {
                                    cny: string;
                                    yunqi: number;
                                };
                                /** @constant */
                                rule: "R-WD-4";
                                table: string;
                                /** @description monthGross less 800 (up to 4,000) or less 20% (above) */
                                taxable: {
                                    cny: string;
                                    yunqi: number;
                                };
                                /** @description tax already withheld on them */
                                taxWithheldBefore: {
                                    cny: string;
                                    yunqi: number;
                                };
                            };
                            gross: {
                                cny: string;
                                yunqi: number;
                            };
                            /** @description UTC+8 calendar month whose withdrawals are one income (R-WD-4) */
                            month: string;
                            net: {
                                cny: string;
                                yunqi: number;
                            };
                            /** @description null when the request would be accepted now */
                            refusal: {
                                /** @enum {string} */
                                code: "invalid_amount" | "enterprise_cannot_withdraw" | "no_completed_valid_order" | "above_withdrawal_max" | "insufficient_available";
                                reason: string;
                            } | null;
                            ruleSetVersion: string;
                            /** @description what would be withheld from this withdrawal */
                            tax: {
                                cny: string;
                                yunqi: number;
                            };
                            /** @description R-WD-3 */
                            withdrawalMax: {
                                cny: string;
                                yunqi: number;
                            };
                        };
                    };
                };
                /** @description amount missing or not a CNY amount */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/clicks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A click seen by another system (R-ATTR-1): repeated clickIds change nothing; occurredAt may be in the past, not in the future */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        clickId: string;
                        customerId: string;
                        /**
                         * Format: date-time
                         * @description defaults to now; refused when later than now plus 5 minutes of clock skew
                         */
                        occurredAt?: string;
                        usercode: string;
                    };
                };
            };
            responses: {
                /** @description recorded in the customer’s association workflow */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            associationId: string | null;
                            clickId: string;
                            customerId: string;
                            note: string;
                            occurredAt: string;
                            /**
                             * @description what the click did to the associations (reordered: a late click placed in click-time order)
                             * @enum {string}
                             */
                            outcome: "created" | "extended" | "switched" | "reopened" | "refused" | "reordered" | "late_click_ignored" | "duplicate";
                            /** @constant */
                            recorded: true;
                            refused: {
                                code: string;
                                reason: string;
                            } | null;
                            usercode: string;
                            workflowId: string;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unknown usercode (recorded in the timeline as refused) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description occurred_at_in_future, or no_rule_set at occurredAt */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Upsert a customer from the identity system: identity (stored only as HMAC hashes), purchase facts, non-associable reason (R-ATTR-7) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        facts?: {
                            /** Format: date-time */
                            firstPaidPurchaseAt?: string;
                            /** Format: date-time */
                            firstPaygUseAt?: string;
                            /** Format: date-time */
                            lastConsumptionAt?: string;
                            paygBeforeFirstPurchase?: boolean;
                            sameEntityHasPaidHistory?: boolean;
                        };
                        identity?: {
                            email?: string | null;
                            idDocument?: string | null;
                            linkedAccounts?: string[];
                            phone?: string | null;
                        };
                        /** @description R-ATTR-7: cloud_business_manager (云业务经理), telesales (电销), distribution_partner (分销伙伴), ppl_reported (PPL报备); null clears */
                        nonAssociableReason?: ("cloud_business_manager" | "telesales" | "distribution_partner" | "ppl_reported") | null;
                        /**
                         * Format: date-time
                         * @description instant of this identity snapshot; defaults to now
                         */
                        observedAt?: string;
                    };
                };
            };
            responses: {
                /** @description stored */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: boolean;
                            customerId: string;
                            facts: {
                                firstPaidPurchaseAt: string | null;
                                lastConsumptionAt: string | null;
                                payAsYouGoBeforeFirstPurchase: boolean;
                                sameEntityHasPaidHistory: boolean;
                            };
                            identityChanged: string[];
                            nonAssociableReason: string | null;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not_found: nothing of that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description <field>_out_of_bounds: observedAt or a facts instant in the future */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{id}/identity-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report the customer's identity as of an instant: changed values are hashed and kept with the instant (R-SAME-2) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description defaults to now; not in the future
                         */
                        changedAt?: string;
                        email?: string | null;
                        idDocument?: string | null;
                        linkedAccounts?: string[];
                        phone?: string | null;
                    };
                };
            };
            responses: {
                /** @description recorded; the orders it may void settle at once */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: string[];
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not_found: nothing of that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description changed_at_out_of_bounds: changedAt in the future */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/ambassadors/{id}/level": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set an ambassador's level from an instant (R-AMB-3); kept as history, so the level at any past instant is known */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description defaults to now
                         */
                        effectiveAt?: string;
                        /** @enum {string} */
                        level: "L1" | "L2" | "L3" | "L4" | "L5";
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description recorded (or already recorded) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ambassadorId: string;
                            /** @enum {string} */
                            level: "L1" | "L2" | "L3" | "L4" | "L5";
                            levelHistory: {
                                effectiveAt: string;
                                /** @enum {string} */
                                level: "L1" | "L2" | "L3" | "L4" | "L5";
                                reason: string | null;
                                setBy: string;
                            }[];
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not_found: nothing of that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description a different level is already recorded at that instant */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description effectiveAt before the ambassador joined */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/attention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What needs attention: orders failed or long overdue, withdrawals reserved or processing for long, ambassadors with a debt */
        get: {
            parameters: {
                query?: {
                    /** @description at most this many of each list */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the lists */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            asOf: string;
                            debts: {
                                ambassadorId: string;
                                /** @description what a clawback took beyond the available balance (R-REV-2) */
                                debt: {
                                    cny: string;
                                    yunqi: number;
                                };
                                displayName: string;
                                usercode: string;
                            }[];
                            orders: {
                                ambassadorId: string | null;
                                customerId: string;
                                error: string | null;
                                nextDueAt: string | null;
                                orderId: string;
                                placedAt: string;
                                reasonCode: string | null;
                                state: string;
                                /**
                                 * @description failed: could not be settled; overdue: its next step is long past due
                                 * @enum {string}
                                 */
                                why: "failed" | "overdue";
                                workflowId: string;
                            }[];
                            thresholds: {
                                orderOverdueMinutes: number;
                                withdrawalStuckMinutes: number;
                            };
                            withdrawals: {
                                ambassadorId: string;
                                gross: {
                                    cny: string;
                                    yunqi: number;
                                };
                                lastPayoutError: string | null;
                                payoutAttempts: number;
                                requestedAt: string;
                                /** @enum {string} */
                                status: "reserved" | "processing";
                                withdrawalId: string;
                                workflowId: string;
                            }[];
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/console-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the Temporal Web UI is, for links to the workflows named in the answers (null when Temporal is external) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            namespace: string;
                            temporalUiUrl: string | null;
                        };
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customers whose id starts with `prefix` (a record, an association or an order knows them) */
        get: {
            parameters: {
                query: {
                    limit?: number;
                    prefix: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description matches in id order */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                customerId: string;
                                /** @enum {string} */
                                knownFrom: "customer" | "association" | "order";
                            }[];
                        };
                    };
                };
                /** @description prefix missing, too short or not an id */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/customers/{id}/association": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A customer's current association (关联), every past one and the whole timeline, with the workflow ID for the Temporal UI */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description projection of the customer workflow */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            associations: {
                                ambassadorId: string;
                                associationId: string;
                                endedAt: string | null;
                                endReason: string | null;
                                endsAt: string;
                                ruleSetVersion: string | null;
                                startedAt: string;
                                usercode: string | null;
                            }[];
                            current: {
                                ambassadorId: string;
                                associationId: string;
                                endedAt: string | null;
                                endReason: string | null;
                                endsAt: string;
                                ruleSetVersion: string | null;
                                startedAt: string;
                                usercode: string | null;
                            } | null;
                            customerId: string;
                            nonAssociableReason: {
                                code: string;
                                reason: string;
                                since: string | null;
                            } | null;
                            timeline: {
                                ambassadorId: string | null;
                                associationId: string | null;
                                at: string;
                                clickId: string | null;
                                detail: {
                                    [key: string]: unknown;
                                };
                                kind: string;
                                seq: number;
                            }[];
                            workflowId: string;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description no such customer and no clicks */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/orders/{orderId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One order for operations: state, the commission explanation, a readable timeline, its ledger entries, and the workflow for the Temporal UI. */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    orderId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the order */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ambassadorId: string | null;
                            /** @description what was judged at placement: attribution, customer class, purchase kind, reward */
                            assessment: unknown;
                            associationId: string | null;
                            /** @description credited earlier and taken back (R-REV-2); shown as a debt while available is below zero */
                            clawedBack: {
                                cny: string;
                                yunqi: number;
                            };
                            credited: {
                                cny: string;
                                yunqi: number;
                            };
                            customerId: string;
                            /** @description the commission: rule-set version, level, rate, the caps and the room each left */
                            explanation: {
                                cappedBaseYunqi: number;
                                caps: {
                                    /** @description this cap reduced the amount */
                                    bound: boolean;
                                    /** @enum {string} */
                                    cap: "perOrderPaid" | "perCustomerPaid" | "perCustomerReward";
                                    /** @description null: no such cap at this level */
                                    limitYunqi: number | null;
                                    /** @description room left before this order; null: unlimited */
                                    roomBeforeYunqi: number | null;
                                    /** @enum {string} */
                                    rule: "R-ORD-6" | "R-ORD-7";
                                }[];
                                /** @enum {string} */
                                capScope: "association" | "order";
                                /** @enum {string} */
                                kind: "first_purchase" | "later_purchase";
                                /** @enum {string} */
                                level: "L1" | "L2" | "L3" | "L4" | "L5";
                                paidYunqi: number;
                                /** @enum {string} */
                                productCategory: "core" | "strategic" | "none";
                                rate: string;
                                /** @enum {string} */
                                rateSource: "strategicRate" | "firstPurchaseRate" | "laterPurchaseRate";
                                rewardYunqi: number;
                                /** @constant */
                                rounding: "ROUND_DOWN";
                                ruleSetVersion: string;
                                /** @description one English sentence */
                                summary: string;
                                uncappedRewardYunqi: number;
                            } | null;
                            failure: {
                                at: string;
                                error: string;
                            } | null;
                            installments: {
                                amount: {
                                    cny: string;
                                    yunqi: number;
                                };
                                credited: boolean;
                                dueAt: string;
                                n: number;
                                /** @enum {string} */
                                status: "due" | "credited" | "voided";
                            }[];
                            ledger: {
                                at: string;
                                entryId: number;
                                installment: number | null;
                                kind: string;
                                postings: {
                                    account: string;
                                    amount: {
                                        cny: string;
                                        yunqi: number;
                                    };
                                }[];
                            }[];
                            nextDueAt: string | null;
                            orderId: string;
                            paid: {
                                cny: string;
                                yunqi: number;
                            };
                            placedAt: string;
                            reasonCode: ("NO_ASSOCIATION" | "NOT_ASSOCIATED_AT_PLACEMENT" | "SAME_PERSON" | "PAYG_ORDER" | "NON_REBATE_PRODUCT" | "STRATEGIC_NOT_IN_RULESET" | "EXCLUDED_CHANNEL" | "OLD_CUSTOMER" | "DORMANT_NOT_IN_RULESET" | "RENEWAL_NOT_COUNTED" | "CAP_EXHAUSTED" | "REFUND_IN_REVIEW" | "FULL_REFUND" | "REFUNDED_TO_ZERO" | "CHEATING" | "IDENTITY_CHANGED" | "NO_RULE_SET" | "ASSESSMENT_FAILED") | null;
                            refunded: {
                                cny: string;
                                yunqi: number;
                            };
                            reviewEndsAt: string | null;
                            reward: {
                                cny: string;
                                yunqi: number;
                            };
                            ruleSetVersion: string | null;
                            /** @enum {string} */
                            state: "received" | "not_attributed" | "ineligible" | "zero_reward" | "in_review" | "crediting" | "completed" | "voided" | "refunded" | "invalidated" | "failed";
                            timeline: {
                                /** @description the business instant */
                                at: string;
                                detail: unknown;
                                kind: string;
                                recordedAt: string | null;
                                summary: string;
                            }[];
                            workflow: {
                                namespace: string;
                                runId: string | null;
                                workflowId: string;
                            };
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description not_found: nothing of that id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/ops/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest reconciliation sweep: its checks and findings (withdrawals resumed, released, late payouts, stale ones) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the latest run, or null before the first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            latest: {
                                /** @description the named checks that ran */
                                checks: string[];
                                findings: {
                                    action: string;
                                    check: string;
                                    details: {
                                        [key: string]: unknown;
                                    };
                                    message: string;
                                    /** @enum {string} */
                                    severity: "info" | "warning" | "alert";
                                    subject: string;
                                }[];
                                finishedAt: string;
                                runId: string;
                                startedAt: string;
                                /** @description the sweep run in the Temporal UI */
                                workflowId: string;
                            } | null;
                        };
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An order was placed and paid (order systems). The same message twice is harmless; the same orderId with another body is refused. */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description prepaid (预付费) or pay-as-you-go (按量付费)
                         * @enum {string}
                         */
                        billing: "prepaid" | "payg";
                        /** @description cart or batch payment id: orders paid together (R-ORD-8) */
                        cartId?: string | null;
                        customerId: string;
                        /** @description bought through a channel or activity excluded from the program */
                        excludedChannel?: boolean;
                        orderId: string;
                        /**
                         * @description new purchase (新购), upgrade (升级) or renewal (续费)
                         * @enum {string}
                         */
                        orderType: "new" | "upgrade" | "renewal";
                        /** @description amount actually paid (实付金额), CNY */
                        paidAmount: string;
                        /**
                         * Format: date-time
                         * @description when the order was placed and paid
                         */
                        placedAt: string;
                        /**
                         * @description rebate product category: core, strategic, or none (not a rebate product)
                         * @enum {string}
                         */
                        productCategory: "core" | "strategic" | "none";
                        productCode: string;
                    };
                };
            };
            responses: {
                /** @description accepted: settlement runs as a workflow */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            duplicate: boolean;
                            orderId: string;
                            workflowId: string;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description same orderId, different body (order_conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description placedAt before the earliest rule set or in the future (placed_at_out_of_bounds) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}/findings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A same-person (同人) or cheating (作弊) finding at foundAt: the order becomes invalid (R-REV-1, R-REV-2), what was credited is clawed back; the answer says what it did. Service or ops token (the ops console records findings too). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    orderId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        findingId: string;
                        /**
                         * Format: date-time
                         * @description when it was found (R-REV-1 judges the review period by it); defaults to when it is received
                         */
                        foundAt?: string;
                        note?: string;
                        /**
                         * @description same person (同人) or cheating order (作弊订单)
                         * @enum {string}
                         */
                        reason: "same_person" | "cheating";
                    };
                };
            };
            responses: {
                /** @description applied (or a harmless repeat) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false when it changed nothing: a repeat, a conflict, or the order already earned nothing */
                            applied: boolean;
                            /** @description the same id was recorded earlier with another body; this one was not applied */
                            conflict: boolean;
                            credited: {
                                cny: string;
                                yunqi: number;
                            };
                            duplicate: boolean;
                            orderId: string;
                            reward: {
                                cny: string;
                                yunqi: number;
                            };
                            /** @enum {string} */
                            state: "received" | "not_attributed" | "ineligible" | "zero_reward" | "in_review" | "crediting" | "completed" | "voided" | "refunded" | "invalidated" | "failed";
                            summary: string;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description no such order (order_not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description foundAt before the order or in the future (fact_refused) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A refund of an order (full, or partial with its amount), at refundedAt: applied whatever the order's state, once per refundId; the answer says what it did. Service or ops token (the ops console records refunds too). */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    orderId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description amount refunded by this refund, CNY; not needed for a full refund */
                        amount?: string;
                        /** @description true when the whole order is refunded */
                        full: boolean;
                        /**
                         * Format: date-time
                         * @description when the refund happened (R-REV-1 judges the review period by it); defaults to when it is received
                         */
                        refundedAt?: string;
                        refundId: string;
                    };
                };
            };
            responses: {
                /** @description applied (or a harmless repeat) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false when it changed nothing: a repeat, a conflict, or the order already earned nothing */
                            applied: boolean;
                            /** @description the same id was recorded earlier with another body; this one was not applied */
                            conflict: boolean;
                            credited: {
                                cny: string;
                                yunqi: number;
                            };
                            duplicate: boolean;
                            orderId: string;
                            reward: {
                                cny: string;
                                yunqi: number;
                            };
                            /** @enum {string} */
                            state: "received" | "not_attributed" | "ineligible" | "zero_reward" | "in_review" | "crediting" | "completed" | "voided" | "refunded" | "invalidated" | "failed";
                            summary: string;
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description unauthorized: the credentials this route needs are missing or wrong */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description no such order (order_not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description body_too_large: the JSON body is larger than API_BODY_LIMIT */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description more than is left of what was paid, or refundedAt before the order or in the future (fact_refused) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rulesets/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The rule set in force now (or at `at`): rates by level, caps, periods, the tax table (R-ORD-9) */
        get: {
            parameters: {
                query?: {
                    /** @description an instant; defaults to now */
                    at?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description the rule set */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description R-ATTR-2 */
                            associationWindowDays: number;
                            /** @enum {string} */
                            capScope: "association" | "order";
                            creditDelayDays: number;
                            dormantCustomers: boolean;
                            effectiveFrom: string;
                            enterpriseAmbassadors: boolean;
                            installmentPeriodDays: number;
                            /** @description R-PAY-1 */
                            installmentThreshold: {
                                cny: string;
                                yunqi: number;
                            };
                            levels: {
                                /** @description decimal string, e.g. "0.25" */
                                firstPurchaseRate: string;
                                /** @description decimal string, e.g. "0.25" */
                                laterPurchaseRate: string;
                                /** @enum {string} */
                                level: "L1" | "L2" | "L3" | "L4" | "L5";
                                /** @description R-ORD-7; null: no cap */
                                perOrderPaidCap: {
                                    cny: string;
                                    yunqi: number;
                                } | null;
                            }[];
                            /** @description R-ORD-6 */
                            perCustomerPaidCap: {
                                cny: string;
                                yunqi: number;
                            };
                            /** @description R-ORD-6 */
                            perCustomerRewardCap: {
                                cny: string;
                                yunqi: number;
                            };
                            renewalsCount: boolean;
                            /** @description R-REV-1 (审核期) */
                            reviewPeriodDays: number;
                            /** @description R-ORD-5; null: no strategic products in this rule set */
                            strategicRate: string | null;
                            /** @description R-WD-4 */
                            taxTable: string;
                            version: string;
                            /** @description R-WD-3 */
                            withdrawalMax: {
                                cny: string;
                                yunqi: number;
                            };
                        };
                    };
                };
                /** @description validation_failed (details: the field paths and what is wrong), or malformed JSON */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description no rule set in force at that instant */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description shutting_down (Retry-After), or a dependency is unavailable */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description error */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                code: string;
                details: unknown;
                message: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
