#pragma once
// Session automation (points in seconds, a curve name) as the DSP layer's
// curves: for strip faders, pans and send levels, and for processor parameters.

#include "mixdown/dsp/parameter_curve.h"
#include "mixdown/session/model.h"

namespace mixdown::graph {

dsp::CurveShape curveShapeOf(session::Automation::Curve curve) noexcept;

/** A constant curve for a plain number, else the automation at sampleRate. */
dsp::ParameterCurve curveOf(const session::AutomatableValue& value, int sampleRate);

}  // namespace mixdown::graph
