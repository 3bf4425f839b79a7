// Every order the simulator accepted (in submission order, with its current state) and every
// request it rejected. The idempotency proof counts client ids here.
import type { AlgoOrder, OrderSource, PlainOrder } from "./order-types";

export interface Rejection {
  time: number;
  source: OrderSource;
  symbol: string;
  type: string;
  clientOrderId: string | null;
  code: number;
  msg: string;
}

export type LoggedOrder = { kind: "order"; order: PlainOrder } | { kind: "algo"; algo: AlgoOrder };

export class OrderLog {
  readonly accepted: LoggedOrder[] = [];
  readonly rejected: Rejection[] = [];
  private readonly clientIds = new Set<string>();

  hasClientId(id: string): boolean {
    return this.clientIds.has(id);
  }

  addOrder(order: PlainOrder): void {
    this.clientIds.add(order.clientOrderId);
    this.accepted.push({ kind: "order", order });
  }

  addAlgo(algo: AlgoOrder): void {
    this.clientIds.add(algo.clientAlgoId);
    this.accepted.push({ kind: "algo", algo });
  }

  reject(r: Rejection): void {
    this.rejected.push(r);
  }
}
