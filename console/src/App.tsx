/** Two consoles in one page: /console/ for ambassadors, /console/ops for operations staff. */
import { Route, Routes } from 'react-router';
import { AmbassadorApp } from './ambassador/AmbassadorApp';
import { OpsApp } from './ops/OpsApp';

export function App() {
  return (
    <Routes>
      <Route path="/ops/*" element={<OpsApp />} />
      <Route path="/*" element={<AmbassadorApp />} />
    </Routes>
  );
}
