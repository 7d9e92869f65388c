#pragma once
// A solver's typed search path (docs/search.md, "The typed path"). A design
// search prepares it once from the call with every axis at its first value:
// it reads the fixed arguments, entities and registry figures then, through
// the binding's own readers. Per point it takes the axes' numbers and writes
// the numbers of the declared result fields, as the generic call's record
// holds them: quantities in SI, booleans 0 or 1, a word as its index in the
// field's word list. No notes, strings or records.
//
// It declines any point it would not treat exactly like the generic call:
// the search then makes the generic call for that point, which words what it
// says. A refusal it knows (a context past the model's maximum, say) it may
// return as a class of its own numbering instead: the search makes the
// generic call for the first point of each class and reuses its reason for
// the rest, so every point of one class must be refused with one reason
// (IRONLAW_SEARCH_PATH=check verifies it at every point).
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ironlaw/runtime/interp/axis_domain.hpp"
#include "ironlaw/runtime/interp/value.hpp"

namespace ironlaw::runtime {

class typed_solver {
 public:
  virtual ~typed_solver() = default;
  // What a thread keeps between its points (caches of the costly parts a
  // point shares with others): made once per thread, passed to each eval.
  struct scratch {
    virtual ~scratch() = default;
  };
  [[nodiscard]] virtual std::unique_ptr<scratch> make_scratch() const { return nullptr; }
  // One point. `axes`: its axis numbers, in the design's axis order (as the
  // compiled code reads them); `picks`: each axis's value as its index in the
  // axis's list (an entity axis is read this way).
  struct point {
    const double* axes = nullptr;
    const std::size_t* picks = nullptr;
    scratch* mine = nullptr;  // this thread's, from make_scratch
  };
  // What eval returns: computed, declined, or a refusal class (> 0).
  static constexpr int computed = 0;
  static constexpr int declined = -1;
  // `fields`: one per declared result field. `fits`: whether the
  // configuration fits in memory. Called from several threads at once: its
  // own state is read-only; a thread's is in `p.mine`.
  virtual int eval(const point& p, double* fields, bool& fits) const = 0;
  // Whether a point that does not fit may still be read (allow_infeasible = true).
  bool hypothetical_allowed = false;
};

// The design's axes as the typed path sees them at preparation.
struct typed_axes {
  const std::vector<std::string>& names;
  const std::vector<axis_domain>& values;  // per axis, the values it takes
};

}  // namespace ironlaw::runtime
