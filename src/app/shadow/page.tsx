import { env } from "../../env.js";
import { ShadowView } from "./_components/shadow-view";

export const dynamic = "force-dynamic";

export default function ShadowPage() {
  return (
    <section>
      <h1>Shadow analysis</h1>
      {/* With the simulator, positions open and close on the replayed market's clock; decisions are stamped with the wall clock. */}
      <ShadowView simulatorClock={env().EXCHANGE === "sim"} />
    </section>
  );
}
