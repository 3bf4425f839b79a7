import { z } from "zod";
import { getOrdersOverTime, OrdersOverTimeInput, OrdersOverTimeSchema } from "../../services/orders/get-orders-over-time";
import { listOrderAttempts, OrderFilterInput, OrderPageSchema } from "../../services/orders/list-order-attempts";
import { OrderEventSchema, orderHistory, OrderHistoryInput } from "../../services/orders/order-history";
import { RestingGroupSchema, RestingInput, restingByPosition } from "../../services/orders/resting-orders";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const ordersRouter = createTRPCRouter({
  list: protectedProcedure.input(OrderFilterInput).output(OrderPageSchema).query(({ ctx, input }) => listOrderAttempts(ctx.db, input)),
  overTime: protectedProcedure.input(OrdersOverTimeInput).output(OrdersOverTimeSchema).query(({ ctx, input }) => getOrdersOverTime(ctx.db, input)),
  /** one order's life on the exchange, change by change */
  history: protectedProcedure.input(OrderHistoryInput).output(z.array(OrderEventSchema)).query(({ ctx, input }) => orderHistory(ctx.db, input)),
  /** what rests on the exchange now, per position: the first few listed, all counted */
  resting: protectedProcedure.input(RestingInput).output(z.array(RestingGroupSchema)).query(({ ctx, input }) => restingByPosition(ctx.db, input)),
});
