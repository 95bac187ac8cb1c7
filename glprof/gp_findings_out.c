/* gp_findings_out.c -- the findings' sections: "findings" in the JSON
   profile; BOTTLENECKS IDENTIFIED and OPTIMIZATION RECOMMENDATIONS in the
   text report (printed even with -q: they are the point of the report). */

#include "gp_output.h"
#include "gp_options.h"
#include "gp_findings.h"

void gp_findings_json(GpJson* j, const GpProfile* p)
{
   UInt i, k;
   const GpFindings* fs = p->findings;
   gp_json_arr(j, "findings");
   for (i = 0; fs && i < fs->n; i++) {
      const GpFinding* f = fs->f[i];
      gp_json_obj(j, NULL);
      gp_json_str(j, "kind", f->kind);
      gp_json_str(j, "severity", gp_severity_name(f->severity));
      gp_json_str(j, "message", f->message);
      gp_json_str(j, "location", f->location);
      gp_json_obj(j, "evidence");
      for (k = 0; k < f->n_ev; k++) {
         if (f->ev[k].text) gp_json_str(j, f->ev[k].key, f->ev[k].text);
         else gp_json_u64(j, f->ev[k].key, f->ev[k].value);
      }
      gp_json_end_obj(j);
      gp_json_str(j, "recommendation", f->recommendation);
      gp_json_end_obj(j);
   }
   gp_json_end_arr(j);
}

/* Prints s wrapped at the report width, first line after 'lead', the
   others indented by 'indent' spaces. */
static void wrapped(const HChar* lead, Int indent, const HChar* s)
{
   Int lead_len = (Int)VG_(strlen)(lead);
   Int width = GP_REPORT_WIDTH - (lead_len > indent ? lead_len : indent);
   Bool first = True;
   while (*s) {
      Int n = (Int)VG_(strlen)(s), cut = n;
      HChar line[GP_REPORT_WIDTH + 8];
      if (n > width) {
         for (cut = width; cut > width / 2 && s[cut] != ' '; cut--) ;
         if (s[cut] != ' ') cut = width;
      }
      VG_(memcpy)(line, s, cut);
      line[cut] = 0;
      if (first) VG_(umsg)("%s%s\n", lead, line);
      else VG_(umsg)("%*s%s\n", indent, "", line);
      first = False;
      s += cut;
      while (*s == ' ') s++;
   }
}

void gp_findings_report(const GpProfile* p)
{
   const GpFindings* fs = p->findings;
   UInt i;
   HChar lead[32];
   if (!fs) return;
   VG_(umsg)("\n");
   VG_(umsg)("BOTTLENECKS IDENTIFIED:\n");
   if (fs->n == 0)
      VG_(umsg)("  (none: no rule's threshold was crossed; see --help for the thresholds)\n");
   for (i = 0; i < fs->n; i++) {
      const GpFinding* f = fs->f[i];
      VG_(snprintf)(lead, sizeof(lead), "  - [%s] ", gp_severity_name(f->severity));
      wrapped(lead, 4, f->message);
   }
   if (fs->n == 0) return;
   VG_(umsg)("\n");
   VG_(umsg)("OPTIMIZATION RECOMMENDATIONS:\n");
   for (i = 0; i < fs->n; i++) {
      const GpFinding* f = fs->f[i];
      VG_(snprintf)(lead, sizeof(lead), "  %u. ", i + 1);
      wrapped(lead, 5, f->recommendation);
   }
}
