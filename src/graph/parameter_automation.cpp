#include "mixdown/graph/parameter_automation.h"

namespace mixdown::graph {

dsp::CurveShape curveShapeOf(session::Automation::Curve curve) noexcept {
  switch (curve) {
    case session::Automation::Curve::Step: return dsp::CurveShape::Step;
    case session::Automation::Curve::Smooth: return dsp::CurveShape::Smooth;
    case session::Automation::Curve::Linear: return dsp::CurveShape::Linear;
  }
  return dsp::CurveShape::Linear;
}

dsp::ParameterCurve curveOf(const session::AutomatableValue& value, int sampleRate) {
  if (!value.automation) return dsp::ParameterCurve(value.value);
  return dsp::ParameterCurve(value.automation->points, curveShapeOf(value.automation->curve), sampleRate);
}

}  // namespace mixdown::graph
