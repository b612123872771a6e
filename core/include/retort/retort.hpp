// retort/retort.hpp — everything in Retort Core, in one include.
// SPDX-License-Identifier: MIT
#ifndef RETORT_RETORT_HPP
#define RETORT_RETORT_HPP

#include <retort/engine.hpp>
#include <retort/exceptions.hpp>
#include <retort/plugins.hpp>
#include <retort/result.hpp>
#include <retort/sql/compiler.hpp>
#include <retort/inspection.hpp>
#include <retort/sql/ddl.hpp>
#include <retort/sql/dml.hpp>
#include <retort/sql/elements.hpp>
#include <retort/sql/schema.hpp>
#include <retort/sql/selectable.hpp>
#include <retort/sql/types.hpp>
#include <retort/text.hpp>
#include <retort/url.hpp>
#include <retort/value.hpp>
#include <retort/version.hpp>

#endif  // RETORT_RETORT_HPP
