import { ShadowView } from "./_components/shadow-view";

export default function ShadowPage() {
  return (
    <section>
      <h1>Shadow analysis</h1>
      <ShadowView />
    </section>
  );
}
