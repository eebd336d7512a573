// The execution plan (graph/plan.h): the simple model's edges and buffers, and
// what each rewrite changes in them. That the rewrites keep the output's bits
// is checked by rendering with each one off (tests/render/plan_rewrites_test.cpp).

#include <doctest/doctest.h>

#include <sndfile.h>

#include "mixdown/graph/build.h"
#include "mixdown/graph/describe.h"
#include "mixdown/graph/plan.h"
#include "mixdown/session/load.h"
#include "support/sound_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_signals.h"

using namespace mixdown;

namespace {

constexpr int kRate = 48000;

/** Tracks "a" (mono, constant gains, a send to "fx") and "b" (an automated fader), each with an EQ; bus "fx". */
struct PlanSession {
  PlanSession() {
    test::writeSoundFile(dir.file("sine.wav"), {test::makeSine(1000.0, kRate, 480, 0.25)}, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto result = session::loadDocument(nlohmann::json::parse(R"({"mixdown": 1,
      "tracks": [{"name": "a", "source": "sine.wav", "pan": -0.5, "gain_db": -6,
                  "inserts": [{"type": "eq", "bands": [{"type": "peak", "freq_hz": 500, "gain_db": 3, "q": 1}]}],
                  "sends": [{"bus": "fx", "level_db": -12}]},
                 {"name": "b", "source": "sine.wav", "gain_db": {"points": [[0, -6], [1, 0]]},
                  "inserts": [{"type": "eq", "bands": [{"type": "peak", "freq_hz": 800, "gain_db": -3, "q": 1}]}]}],
      "buses": [{"name": "fx"}]})"), dir.file("song.json"), {});
    REQUIRE(result.loaded.has_value());
    loaded = std::move(*result.loaded);
    graph = graph::buildGraph(loaded.session, loaded.sources, {kRate, 256, {}});
  }
  const graph::PlanNode& node(const graph::ExecutionPlan& plan, const std::string& name) const {
    return plan.nodes[static_cast<size_t>(graph.nodeIndex(name))];
  }
  const graph::PlanEdge& outputOf(const graph::ExecutionPlan& plan, const std::string& name) const {
    return plan.edges[static_cast<size_t>(node(plan, name).output)];
  }
  test::TempDir dir;
  session::LoadedSession loaded;
  graph::Graph graph;
};

}  // namespace

TEST_CASE("plan: the simple model has an edge per output, send and key, and every node writes what its edges read") {
  PlanSession session;
  const std::vector<int> master{session.graph.masterNode};
  const graph::ExecutionPlan plan = graph::compilePlan(session.graph, master, {false, false});
  // Three levels (tracks, the bus, the master): one step per node, no lane group.
  REQUIRE(plan.levels.size() == 3);
  CHECK(plan.levels[0].size() == 2);
  CHECK(plan.laneGroups.empty());
  CHECK(plan.blocksAlive == 4);  // min(3 levels, 16) + 1
  CHECK(plan.edges.size() == 4);  // a, b and fx to the master; a's send
  for (const graph::PlanEdge& edge : plan.edges) CHECK_FALSE(edge.placed);
  const graph::PlanEdge& send = plan.edges[static_cast<size_t>(session.node(plan, "a").sends.at(0))];
  CHECK(send.tap.point == graph::Tap::Point::Send);
  CHECK(send.target == session.graph.nodeIndex("fx"));
  // a: level 0, read by fx (level 1) and the master (level 2): three slots.
  CHECK(session.node(plan, "a").buffers.ringDepth == 3);
  CHECK(session.node(plan, "a").buffers.post);
  CHECK(session.node(plan, "a").buffers.sends == std::vector<bool>{true});
  CHECK_FALSE(session.node(plan, "a").buffers.mainPerSlot);
  // The master, tapped, is read by the render in the step after its level (2), from two slots.
  CHECK(session.node(plan, "master").buffers.ringDepth == 2);
  CHECK(session.node(plan, "master").buffers.sum);
  // The gains: a mono track at pan -0.5 under the -3 dB law, times its fader; the send times the fader too.
  const double fader = std::pow(10.0, -6.0 / 20.0), angle = (-0.5 + 1.0) * M_PI / 4.0;
  const graph::StereoFactors output = session.outputOf(plan, "a").gain.constant();
  CHECK(output.left == static_cast<float>(std::cos(angle) * fader));
  CHECK(output.right == static_cast<float>(std::sin(angle) * fader));
  CHECK(send.gain.constant().left == static_cast<float>(std::cos(angle) * std::pow(10.0, -12.0 / 20.0) * fader));
  CHECK(session.outputOf(plan, "b").gain.automated());
  CHECK_FALSE(session.outputOf(plan, "a").gain.automated());
}

TEST_CASE("plan: placed sums leave a node's constant-gain edges to their targets, and its buffers for them out") {
  PlanSession session;
  const std::vector<int> master{session.graph.masterNode};
  const graph::ExecutionPlan plan = graph::compilePlan(session.graph, master, {false, true});
  CHECK(session.outputOf(plan, "a").placed);
  CHECK(plan.edges[static_cast<size_t>(session.node(plan, "a").sends.at(0))].placed);
  CHECK(session.outputOf(plan, "fx").placed);
  CHECK_FALSE(session.outputOf(plan, "b").placed);  // automated: b writes its output once
  CHECK_FALSE(session.node(plan, "a").buffers.post);
  CHECK(session.node(plan, "a").buffers.sends == std::vector<bool>{false});
  CHECK(session.node(plan, "a").buffers.mainPerSlot);  // the sums read its main at later levels
  CHECK(session.node(plan, "b").buffers.post);
  CHECK(session.node(plan, "master").buffers.post);  // the mix
  // A tapped node (a stem) writes its output for the render: its edges read it.
  const std::vector<int> stems{session.graph.masterNode, session.graph.nodeIndex("a")};
  const graph::ExecutionPlan tapped = graph::compilePlan(session.graph, stems, {false, true});
  CHECK_FALSE(session.outputOf(tapped, "a").placed);
  CHECK(session.node(tapped, "a").buffers.post);
}

TEST_CASE("plan: lane grouping puts one step in place of the tracks whose chains start with batchable inserts") {
  PlanSession session;
  const graph::ExecutionPlan plan = graph::compilePlan(session.graph, std::nullopt, {true, true});
  REQUIRE(plan.laneGroups.size() == 1);
  CHECK(plan.laneGroups[0].members == std::vector<int>{session.graph.nodeIndex("a"), session.graph.nodeIndex("b")});
  CHECK(plan.laneGroups[0].batches.size() == 1);
  // The batch owns the grouped inserts: their processors left the graph.
  CHECK(session.graph.nodes[static_cast<size_t>(session.graph.nodeIndex("a"))].inserts[0].processor == nullptr);
  CHECK(session.graph.nodes[static_cast<size_t>(session.graph.nodeIndex("b"))].inserts[0].processor == nullptr);
  REQUIRE(plan.levels[0].size() == 1);
  CHECK(plan.levels[0][0].laneGroup == 0);
  CHECK(session.node(plan, "b").firstInsert == 1);
  CHECK(session.node(plan, "b").laneMember == 1);
  CHECK(session.node(plan, "fx").laneGroup == -1);
  const std::string text = graph::describePlanAsText(session.graph, plan);
  CHECK(text.find("lane group 1 (insert 1 batched): \"a\", \"b\"") != std::string::npos);
  CHECK(text.find("\"b\" post-fader -> \"master\", automated gain, read from its buffer") != std::string::npos);
}
